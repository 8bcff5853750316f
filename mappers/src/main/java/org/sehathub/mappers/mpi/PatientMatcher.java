package org.sehathub.mappers.mpi;

import ca.uhn.fhir.model.api.TemporalPrecisionEnum;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * Decides whether two patient records are one person, erring on the side of not linking: a false
 * link shows one person's history to another, a missed one only splits a history (and an operator
 * can join it from the review queue).
 *
 * <p>Deterministic first: the same own CNIC (or B-form) links at once, unless the sex, the birth
 * year or the names say otherwise; two different own CNICs never link (unless they differ by one mistyped or
 * swapped digit, when the rest of the evidence decides). Otherwise each field adds or subtracts a
 * weight (log-odds, in the manner of Fellegi and Sunter; most estimated by expectation
 * maximisation, see the constants) and the total is graded against two thresholds ({@link
 * Thresholds}). Pakistan's collisions shape the rules: a common name ("Muhammad Ali") weighs
 * little, the father's or husband's name tells apart namesakes born the same day, a shared phone
 * weighs little unless the whole name agrees too (families share one), a different sex or birth
 * year contradicts; twins share everything but their given names, which then weigh against.
 *
 * <p>Thread-safe (the name frequencies it reads may grow meanwhile); {@code docs/mpi.md} lists every
 * weight and how to tune them.
 */
public final class PatientMatcher {

    /** The score from which a pair is a match, and from which it is worth a review. */
    public record Thresholds(double match, double possible) {
        public Thresholds {
            if (!(possible <= match)) {
                throw new IllegalArgumentException("the possible threshold (" + possible
                        + ") must not exceed the match threshold (" + match + ")");
            }
        }
    }

    /**
     * Chosen on the linkage evaluation (docs/mpi.md, "Measured") with the weights estimated by EM:
     * match 9 keeps pairwise precision above 99.5% up to 100,000 records (8.5 does not); possible
     * 8.5 leaves in the queue mostly pairs that are one person (nine in ten), where 8 queued
     * more and fewer of them one person.
     */
    public static final Thresholds DEFAULT_THRESHOLDS = new Thresholds(9.0, 8.5);

    /*
     * The weights are log-odds on one scale ({@link #WEIGHT_PER_BIT} per bit): log2(m / u) x 0.45,
     * m the chance a field agrees so when the two records are one person, u the chance it does
     * when they are any two records. Those marked (EM) were estimated by expectation maximisation
     * over the candidate pairs of a synthetic population of 30,000 records (seed 1, not the
     * evaluation's) for m, and over 4 million random pairs of it for u, no truth used ({@code
     * WeightEstimation}, a test run with -Dmpi.estimate=true; docs/mpi.md, "Weights"), then
     * rounded. The others the synthetic population cannot measure (it never changes a person's
     * phone, district, father or sex) or are rules rather than odds: they are set by hand, and
     * say why.
     */

    /** A name written as one word or two agreeing when joined (عبدالرحمن, Abdul Rehman). */
    static final double JOINED_NAME = 4.0;
    /**
     * A rare word of the shorter name that finds no partner in the other: twins and siblings share
     * all but their given names, which must weigh against.
     */
    static final double RARE_WORD_MISSING = -7.0;
    /** A common word of the shorter name that finds no partner ("Muhammad" left out, "Bibi" added). */
    static final double COMMON_WORD_MISSING = -2.0;
    /** Names that share no word at all. */
    static final double NAMES_DIFFER = -8.0;

    /** (EM: m 0.59, u 0.000067.) */
    static final double BIRTH_EXACT = 5.9;
    /**
     * 1 January, what registration desks write when nobody knows the date, the same on both (EM: m
     * 0.042, u 0.00009, +4.0; lowered by hand to 3.5, as real registers hold more 1 Januaries than
     * the one adult in six of the synthetic population, and the more there are, the less it says).
     */
    static final double BIRTH_EXACT_FIRST_OF_JANUARY = 3.5;

    /** A day apart, or day and month swapped (EM: m 0.030, u 0.000076; m 0.0096, u 0.000033). */
    static final double BIRTH_TYPO = 3.8;
    /** The same day and month, the year one off (EM: m 0.045, u 0.00038). */
    static final double BIRTH_TYPO_YEAR = 3.1;
    /**
     * Another single digit mistyped, or two swapped (u 0.00059): neither for nor against. The
     * synthetic population makes no such typos, so EM finds m near 0 (-1.4); registers do, at a
     * rate not measured here.
     */
    static final double BIRTH_TYPO_DIGIT = 0.0;
    /** One date is a year only, and the years agree (EM: m 0.106, u 0.0030). */
    static final double BIRTH_YEAR_ONLY_AGREES = 2.3;
    /** One date is 1 January, the other a full date of that year (EM: +0.2, taken as 0). */
    static final double BIRTH_FIRST_OF_JANUARY_SAME_YEAR = 0.0;
    /** Two years one apart of which one is a year only (or 1 January): EM finds it neutral (+0.5), taken as 0. */
    static final double BIRTH_YEAR_ONLY_NEAR = 0.0;

    /** Two full dates of one year, not one typo apart (EM: -2.3). */
    static final double BIRTH_SAME_YEAR = -2.3;
    /** Two full dates within 400 days, not one typo apart (EM: m 0.0039, u 0.016). */
    static final double BIRTH_NEAR = -0.9;
    /** More than a year apart: a contradiction (a rule: never linked). */
    static final double BIRTH_DIFFERS = -12.0;

    /** (EM: +0.45.) */
    static final double SEX_AGREES = 0.45;
    /** A contradiction (a rule: never linked). */
    static final double SEX_DIFFERS = -12.0;
    /** (EM: m 0.113, u 0.0017.) */
    static final double RELATIVE_AGREES = 2.7;
    /** (EM: -4.5; the population never misspells a father beyond what the name keys fold.) */
    static final double RELATIVE_DIFFERS = -4.5;
    /** (EM: m 0.0115, u 0.00017.) */
    static final double MOTHER_AGREES = 2.75;
    /** By hand: the population never sends two mothers' names for one person. */
    static final double MOTHER_DIFFERS = -3.0;
    /** A phone shared by records whose names differ: mostly a family's phone (EM: +3.0, by hand 2). */
    static final double PHONE_SHARED = 2.0;
    /**
     * The same phone under the same whole name: families share a phone, but a family gives one name
     * to one child, so this is the same person far more often than a phone alone says (EM: m 0.34,
     * u 0.000012, +6.7).
     */
    static final double PHONE_SHARED_SAME_NAME = 6.5;

    /** (EM: m 0.37, u 0.030.) */
    static final double DISTRICT_AGREES = 1.6;
    /** By hand: the population never moves a person. */
    static final double DISTRICT_DIFFERS = -1.5;
    /** A guardian CNIC shared by records whose names differ: siblings share their mother's. */
    static final double GUARDIAN_AGREES = 1.0;
    /**
     * A guardian CNIC (a mother's on her child's record) shared under the same whole name: the
     * same child (EM, any names: m 0.030, u 0.0000033, +5.9; taken as the phone's 6.5 less).
     */
    static final double GUARDIAN_AGREES_SAME_NAME = 5.0;

    static final double IDENTITY = 20.0;
    static final double IDENTITY_DIFFERS = -25.0;
    /**
     * Own CNICs one digit apart or with two digits swapped: a typo far more often than chance (EM:
     * +6.8), but families registered together may hold consecutive numbers; by hand +3.
     */
    static final double IDENTITY_ONE_TYPO = 3.0;

    private final Thresholds thresholds;
    private final NameFrequencies frequencies;

    /** The default thresholds, and the built-in list of common name words. */
    public PatientMatcher() {
        this(DEFAULT_THRESHOLDS, NameFrequencies.builtIn());
    }

    /** @param frequencies how common each name word is among the records (see {@link NameFrequencies}) */
    public PatientMatcher(Thresholds thresholds, NameFrequencies frequencies) {
        this.thresholds = thresholds;
        this.frequencies = frequencies;
    }

    public Thresholds thresholds() {
        return thresholds;
    }

    public MatchResult compare(PersonRecord a, PersonRecord b) {
        List<MatchResult.Evidence> evidence = new ArrayList<>();
        boolean sameIdentity =
                identity(a.cnic(), b.cnic(), "cnic", evidence) | identity(a.bForm(), b.bForm(), "bForm", evidence);
        names(a, b, evidence);
        birthDate(a, b, evidence);
        if (a.sex() != null && b.sex() != null) {
            evidence.add(
                    a.sex().equals(b.sex())
                            ? new MatchResult.Evidence("sex", "agrees", SEX_AGREES)
                            : new MatchResult.Evidence("sex", "differs", SEX_DIFFERS));
        }
        words("relative", a.relative(), b.relative(), RELATIVE_AGREES, RELATIVE_DIFFERS, evidence);
        words("mother", a.mother(), b.mother(), MOTHER_AGREES, MOTHER_DIFFERS, evidence);
        boolean sameName = evidence.stream()
                .anyMatch(e -> e.field().equals("name") && e.outcome().startsWith("all "));
        if (!a.phones().isEmpty() && a.phones().stream().anyMatch(b.phones()::contains)) {
            evidence.add(
                    sameName
                            ? new MatchResult.Evidence("phone", "shared, same name", PHONE_SHARED_SAME_NAME)
                            : new MatchResult.Evidence("phone", "shared", PHONE_SHARED));
        }
        if (a.district() != null && b.district() != null) {
            evidence.add(
                    a.district().equals(b.district())
                            ? new MatchResult.Evidence("district", "agrees", DISTRICT_AGREES)
                            : new MatchResult.Evidence("district", "differs", DISTRICT_DIFFERS));
        }
        if (a.guardianCnic() != null && a.guardianCnic().equals(b.guardianCnic())) {
            evidence.add(
                    sameName
                            ? new MatchResult.Evidence("guardianCnic", "shared, same name", GUARDIAN_AGREES_SAME_NAME)
                            : new MatchResult.Evidence("guardianCnic", "agrees", GUARDIAN_AGREES));
        }
        double score =
                evidence.stream().mapToDouble(MatchResult.Evidence::weight).sum();
        return new MatchResult(score, grade(score, sameIdentity, evidence), evidence);
    }

    private MatchGrade grade(double score, boolean sameIdentity, List<MatchResult.Evidence> evidence) {
        boolean contradicted = evidence.stream()
                .anyMatch(e -> e.weight() <= SEX_DIFFERS
                        || e.field().equals("birthDate")
                                && (e.outcome().equals("within a year")
                                        || e.outcome().equals("differs"))
                        || e.field().equals("name") && e.weight() < 0);
        if (sameIdentity && !contradicted) {
            return MatchGrade.CERTAIN;
        }
        boolean birthKnown = evidence.stream().anyMatch(e -> e.field().equals("birthDate"));
        if (sameIdentity && !birthKnown && evidence.stream().noneMatch(e -> e.weight() <= SEX_DIFFERS)) {
            // The same CNIC on records whose names disagree, one of unknown age: most often a
            // mother's CNIC on her daughter's record (a child's age is what tells it from her own).
            // Graded on the rest of the evidence, never linked.
            return score - IDENTITY >= possibleThreshold() ? MatchGrade.POSSIBLE : MatchGrade.CERTAINLY_NOT;
        }
        if (sameIdentity) {
            // The same CNIC on records that disagree on sex, birth year or name: a CNIC typed on the
            // wrong record, or a family member's (a mother's on her daughter's). Never linked
            // without an operator.
            return MatchGrade.POSSIBLE;
        }
        boolean birthAgrees = evidence.stream().anyMatch(e -> e.field().equals("birthDate") && e.weight() > 0)
                || !birthKnown && evidence.stream().anyMatch(e -> e.outcome().equals("shared, same name"));
        double match = matchThreshold();
        if (score >= match && birthAgrees) {
            return MatchGrade.PROBABLE;
        }
        if (score >= match + (birthKnown || rareName(evidence) ? 0 : 1)) {
            // Without a birth date that agrees (or the same name at the same phone), names and
            // family alone never link; without a birth date at all, they are worth a review from
            // a point above the match threshold.
            return MatchGrade.POSSIBLE;
        }
        // With full dates that disagree, or without a birth date on both and a name that is not
        // rare, a pair just under the match threshold is as often two namesakes as one
        // person: not worth an operator's time.
        boolean birthAgainst = evidence.stream().anyMatch(e -> e.field().equals("birthDate") && e.weight() < 0);
        return score >= possibleThreshold() && (birthKnown || rareName(evidence)) && !birthAgainst
                ? MatchGrade.POSSIBLE
                : MatchGrade.CERTAINLY_NOT;
    }

    /**
     * The match threshold for the size of the index: the more records, the more namesakes born the
     * same day by chance, so each tenfold growth beyond {@link #SIZE_AT_THRESHOLDS} records asks for
     * log2(10) more bits of evidence. The possible threshold moves with it.
     */
    public double matchThreshold() {
        double growth = Math.max(1.0, frequencies.records() / (double) SIZE_AT_THRESHOLDS);
        return thresholds.match() + WEIGHT_PER_BIT * Math.log(growth) / Math.log(2);
    }

    /** The possible threshold for the size of the index: as far below the match threshold as configured. */
    public double possibleThreshold() {
        return matchThreshold() - (thresholds.match() - thresholds.possible());
    }

    /**
     * A name of two words or more, all agreeing, each as rare as {@link #RARE_WORD} on average: worth
     * a review without a birth date from the possible threshold on (a namesake is unlikely); a
     * commoner one only from a point above the match threshold. (The synthetic population's names
     * are drawn from small pools: none of its names is this rare, and its pairs without a birth
     * date in the band were one person only half the time.)
     */
    private static boolean rareName(List<MatchResult.Evidence> evidence) {
        return evidence.stream().anyMatch(e -> {
            if (!e.field().equals("name") || !e.outcome().startsWith("all ")) {
                return false;
            }
            int words = Integer.parseInt(e.outcome().split(" ")[1]);
            return words >= 2 && e.weight() >= RARE_WORD * words;
        });
    }

    /** A word held by about one record in 500 or fewer (the built-in list's share of a rare word). */
    static final double RARE_WORD = 4.0;

    /** The index size the thresholds are given for. */
    static final int SIZE_AT_THRESHOLDS = 10_000;

    /** @return true when both carry the same identity number */
    private static boolean identity(String a, String b, String field, List<MatchResult.Evidence> evidence) {
        if (a == null || b == null) {
            return false;
        }
        String x = a.replaceAll("\\D", "");
        String y = b.replaceAll("\\D", "");
        if (x.equals(y)) {
            evidence.add(new MatchResult.Evidence(field, "same", IDENTITY));
            return true;
        }
        if (oneTypo(x, y)) {
            evidence.add(new MatchResult.Evidence(field, "one digit apart", IDENTITY_ONE_TYPO));
        } else {
            evidence.add(new MatchResult.Evidence(field, "differs", IDENTITY_DIFFERS));
        }
        return false;
    }

    /** One digit different, or two adjacent digits swapped. */
    static boolean oneTypo(String x, String y) {
        if (x.length() != y.length()) {
            return false;
        }
        int first = -1;
        int differences = 0;
        for (int i = 0; i < x.length(); i++) {
            if (x.charAt(i) != y.charAt(i)) {
                differences++;
                if (first < 0) {
                    first = i;
                }
            }
        }
        if (differences == 1) {
            return true;
        }
        return differences == 2
                && first + 1 < x.length()
                && x.charAt(first) == y.charAt(first + 1)
                && x.charAt(first + 1) == y.charAt(first);
    }

    /** The best agreement of any name of {@code a} with any name of {@code b}. */
    private void names(PersonRecord a, PersonRecord b, List<MatchResult.Evidence> evidence) {
        if (a.names().isEmpty() || b.names().isEmpty()) {
            return;
        }
        double best = Double.NEGATIVE_INFINITY;
        String outcome = "";
        for (List<String> x : a.names()) {
            for (List<String> y : b.names()) {
                NameAgreement agreement = agree(x, y, frequencies);
                if (!x.equals(y)
                        && agreement.weight() < JOINED_NAME
                        && String.join("", x).equals(String.join("", y))) {
                    // One name written as one word or two (عبدالرحمن, Abdul Rehman).
                    agreement = new NameAgreement(JOINED_NAME, "the same when joined");
                }
                if (agreement.weight() > best) {
                    best = agreement.weight();
                    outcome = agreement.outcome();
                }
            }
        }
        evidence.add(new MatchResult.Evidence("name", outcome, best));
    }

    record NameAgreement(double weight, String outcome) {}

    /**
     * Each word of the shorter name looks for an equal (or, for skeletons of four letters or more,
     * nearly equal) word in the other, in any order: a word found weighs by its rarity ({@link
     * #wordWeight}); one not found {@link #RARE_WORD_MISSING} or {@link
     * #COMMON_WORD_MISSING}.
     */
    static NameAgreement agree(List<String> x, List<String> y, NameFrequencies frequencies) {
        List<String> shorter = x.size() <= y.size() ? x : y;
        List<String> longer = new ArrayList<>(x.size() <= y.size() ? y : x);
        double weight = 0;
        int found = 0;
        for (String word : shorter) {
            String partner = null;
            for (String candidate : longer) {
                if (candidate.equals(word) || (word.length() >= 4 && nearlyEqual(word, candidate))) {
                    partner = candidate;
                    break;
                }
            }
            if (partner != null) {
                longer.remove(partner);
                found++;
                weight += wordWeight(frequencies.share(word));
            } else {
                weight += frequencies.share(word) >= NameFrequencies.COMMON_SHARE
                        ? COMMON_WORD_MISSING
                        : RARE_WORD_MISSING;
            }
        }
        if (found == 0) {
            return new NameAgreement(NAMES_DIFFER, "no word shared");
        }
        return new NameAgreement(
                weight,
                found == shorter.size() ? "all " + found + " words" : found + " of " + shorter.size() + " words");
    }

    /**
     * What agreeing on a word weighs: the information it carries, {@link #WEIGHT_PER_BIT} per bit
     * of log2(1 / share), within [0.5, 6]: about 4 for a word one record in five hundred holds,
     * about 2 for one in twenty ("Muhammad").
     */
    static double wordWeight(double share) {
        double bits = Math.log(1 / share) / Math.log(2);
        return Math.max(0.5, Math.min(6.0, WEIGHT_PER_BIT * bits));
    }

    /** The scale of every weight here: a birth date (one day in some 20,000, 14 bits) is 6. */
    static final double WEIGHT_PER_BIT = 0.45;

    /** One letter added, dropped or changed (skeletons of four letters or more). */
    static boolean nearlyEqual(String a, String b) {
        if (Math.abs(a.length() - b.length()) > 1 || Math.min(a.length(), b.length()) < 4) {
            return false;
        }
        int i = 0;
        int j = 0;
        int edits = 0;
        while (i < a.length() && j < b.length()) {
            if (a.charAt(i) == b.charAt(j)) {
                i++;
                j++;
                continue;
            }
            if (++edits > 1) {
                return false;
            }
            if (a.length() > b.length()) {
                i++;
            } else if (b.length() > a.length()) {
                j++;
            } else {
                i++;
                j++;
            }
        }
        return edits + (a.length() - i) + (b.length() - j) <= 1;
    }

    private static void birthDate(PersonRecord a, PersonRecord b, List<MatchResult.Evidence> evidence) {
        LocalDate x = a.birthDate();
        LocalDate y = b.birthDate();
        if (x == null || y == null) {
            return;
        }
        // 1 January is what desks write when only the year is known: compared as a year.
        boolean dayPrecise = precise(a.birthPrecision())
                && precise(b.birthPrecision())
                && x.getDayOfYear() != 1
                && y.getDayOfYear() != 1;
        if (!dayPrecise) {
            int years = Math.abs(x.getYear() - y.getYear());
            if (x.equals(y) && precise(a.birthPrecision()) && precise(b.birthPrecision())) {
                evidence.add(new MatchResult.Evidence("birthDate", "exact, 1 January", BIRTH_EXACT_FIRST_OF_JANUARY));
            } else if (years == 0 && (!precise(a.birthPrecision()) || !precise(b.birthPrecision()))) {
                evidence.add(
                        new MatchResult.Evidence("birthDate", "same year, one a year only", BIRTH_YEAR_ONLY_AGREES));
            } else if (years == 0) {
                evidence.add(new MatchResult.Evidence(
                        "birthDate", "same year, one 1 January", BIRTH_FIRST_OF_JANUARY_SAME_YEAR));
            } else if (years == 1) {
                evidence.add(new MatchResult.Evidence("birthDate", "a year apart", BIRTH_YEAR_ONLY_NEAR));
            } else {
                evidence.add(new MatchResult.Evidence("birthDate", "differs", BIRTH_DIFFERS));
            }
            return;
        }
        if (x.equals(y)) {
            evidence.add(new MatchResult.Evidence("birthDate", "exact", BIRTH_EXACT));
        } else if (Math.abs(ChronoUnit.DAYS.between(x, y)) == 1
                || x.getYear() == y.getYear()
                        && x.getMonthValue() == y.getDayOfMonth()
                        && x.getDayOfMonth() == y.getMonthValue()) {
            evidence.add(new MatchResult.Evidence("birthDate", "one typo apart", BIRTH_TYPO));
        } else if (x.getMonthValue() == y.getMonthValue()
                && x.getDayOfMonth() == y.getDayOfMonth()
                && Math.abs(x.getYear() - y.getYear()) == 1) {
            evidence.add(new MatchResult.Evidence("birthDate", "the year one off", BIRTH_TYPO_YEAR));
        } else if (typo(x, y)) {
            evidence.add(new MatchResult.Evidence("birthDate", "one digit apart", BIRTH_TYPO_DIGIT));
        } else if (x.getYear() == y.getYear()) {
            evidence.add(new MatchResult.Evidence("birthDate", "same year", BIRTH_SAME_YEAR));
        } else if (Math.abs(ChronoUnit.DAYS.between(x, y)) <= 400) {
            evidence.add(new MatchResult.Evidence("birthDate", "within a year", BIRTH_NEAR));
        } else {
            evidence.add(new MatchResult.Evidence("birthDate", "differs", BIRTH_DIFFERS));
        }
    }

    private static boolean precise(TemporalPrecisionEnum precision) {
        return precision == null || precision.ordinal() >= TemporalPrecisionEnum.DAY.ordinal();
    }

    /** Day and month swapped, one digit of the date mistyped, a day apart, or the year one off. */
    static boolean typo(LocalDate x, LocalDate y) {
        if (x.getMonthValue() == y.getMonthValue()
                && x.getDayOfMonth() == y.getDayOfMonth()
                && Math.abs(x.getYear() - y.getYear()) == 1) {
            return true;
        }
        if (x.getYear() == y.getYear()
                && x.getMonthValue() == y.getDayOfMonth()
                && x.getDayOfMonth() == y.getMonthValue()) {
            return true;
        }
        if (Math.abs(ChronoUnit.DAYS.between(x, y)) == 1) {
            return true;
        }
        String s = x.toString().replace("-", "");
        String t = y.toString().replace("-", "");
        int differences = 0;
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) != t.charAt(i)) {
                differences++;
            }
        }
        return differences == 1 || oneTypo(s, t);
    }

    private static void words(
            String field,
            List<String> a,
            List<String> b,
            double agrees,
            double differs,
            List<MatchResult.Evidence> evidence) {
        if (a.isEmpty() || b.isEmpty()) {
            return;
        }
        NameAgreement agreement = agree(a, b, NameFrequencies.builtIn());
        boolean all = agreement.outcome().startsWith("all ");
        evidence.add(
                all
                        ? new MatchResult.Evidence(field, "agrees", agrees)
                        : new MatchResult.Evidence(field, "differs", differs));
    }
}

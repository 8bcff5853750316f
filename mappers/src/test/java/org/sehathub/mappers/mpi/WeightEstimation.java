package org.sehathub.mappers.mpi;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Estimates Fellegi-Sunter m- and u-probabilities by expectation maximisation over the candidate
 * pairs of a synthetic population (another seed than the evaluation's), without its truth: the
 * truth is used only to print beside each estimate how far EM is off. Run with {@code
 * -Dmpi.estimate=true}.
 */
class WeightEstimation {

    private static final LocalDate TODAY = LocalDate.of(2026, 12, 6);

    static final String[] FIELDS = {
        "cnic", "name", "birthDate", "sex", "relative", "mother", "phone", "district", "guardianCnic"
    };

    @Test
    void estimate() {
        Assumptions.assumeTrue(Boolean.getBoolean("mpi.estimate"));
        int size = Integer.getInteger("mpi.records", 30000);
        List<SourceRenderer.Stored> stored = LinkageEvaluation.population(1, 3, size, TODAY);
        PatientMatcher matcher = LinkageEvaluation.matcher(PatientMatcher.DEFAULT_THRESHOLDS, stored);
        Map<String, long[]> patterns = new HashMap<>();
        Map<String, List<Integer>> blocks = new HashMap<>();
        for (int i = 0; i < stored.size(); i++) {
            PersonRecord record = stored.get(i).record();
            Set<String> keys = Blocking.keys(record);
            Set<Integer> candidates = new LinkedHashSet<>();
            for (String key : keys) {
                List<Integer> block = blocks.getOrDefault(key, List.of());
                if (block.size() <= LinkageEvaluation.MAX_BLOCK) {
                    candidates.addAll(block);
                }
            }
            for (int c : candidates) {
                PersonRecord other = stored.get(c).record();
                String pattern = String.join("|", levels(record, other, matcher.compare(record, other)));
                long[] counts = patterns.computeIfAbsent(pattern, p -> new long[2]);
                counts[0]++;
                counts[1] += stored.get(i).person() == stored.get(c).person() ? 1 : 0;
            }
            for (String key : keys) {
                blocks.computeIfAbsent(key, k -> new ArrayList<>()).add(i);
            }
        }
        // u over all pairs, not only candidates (the score is weighed against any record: the
        // thresholds rise with the index for that reason): random pairs, labels unused.
        Map<String, long[]> random = new HashMap<>();
        java.util.Random draw = new java.util.Random(5);
        int samples = Integer.getInteger("mpi.samples", 4_000_000);
        for (int s = 0; s < samples; s++) {
            int i = draw.nextInt(stored.size());
            int j = draw.nextInt(stored.size());
            if (i == j) {
                continue;
            }
            PersonRecord a = stored.get(i).record();
            PersonRecord b = stored.get(j).record();
            String pattern = String.join("|", levels(a, b, matcher.compare(a, b)));
            long[] counts = random.computeIfAbsent(pattern, p -> new long[2]);
            counts[0]++;
            counts[1] += stored.get(i).person() == stored.get(j).person() ? 1 : 0;
        }
        em(patterns, random);
    }

    /** Each field's agreement level for a pair ("-" when either side lacks it). */
    static String[] levels(PersonRecord a, PersonRecord b, MatchResult result) {
        String[] level = new String[FIELDS.length];
        java.util.Arrays.fill(level, "-");
        for (MatchResult.Evidence e : result.evidence()) {
            switch (e.field()) {
                case "cnic" -> level[0] = e.outcome();
                case "name" -> level[1] = nameLevel(e);
                case "birthDate" -> level[2] = birthLevel(a, b, e.outcome());
                case "sex" -> level[3] = e.outcome();
                case "relative" -> level[4] = e.outcome();
                case "mother" -> level[5] = e.outcome();
                case "phone" -> level[6] = e.outcome();
                case "district" -> level[7] = e.outcome();
                case "guardianCnic" -> level[8] = e.outcome();
                default -> {}
            }
        }
        if (level[6].equals("-") && !a.phones().isEmpty() && !b.phones().isEmpty()) {
            level[6] = "differs";
        }
        if (level[8].equals("-") && a.guardianCnic() != null && b.guardianCnic() != null) {
            level[8] = "differs";
        }
        return level;
    }

    /** The birth-date outcome, with the kind of typo and of partial date told apart. */
    static String birthLevel(PersonRecord a, PersonRecord b, String outcome) {
        java.time.LocalDate x = a.birthDate();
        java.time.LocalDate y = b.birthDate();
        if (outcome.equals("one typo apart")) {
            if (Math.abs(java.time.temporal.ChronoUnit.DAYS.between(x, y)) == 1) {
                return "typo: a day apart";
            }
            if (x.getYear() == y.getYear() && x.getMonthValue() == y.getDayOfMonth()) {
                return "typo: day and month swapped";
            }
            if (x.getDayOfYear() == y.getDayOfYear()
                    || x.getMonthValue() == y.getMonthValue() && x.getDayOfMonth() == y.getDayOfMonth()) {
                return "typo: the year one off";
            }
            return "typo: a digit";
        }
        if (outcome.startsWith("same year (")) {
            boolean yearOnly = a.birthPrecision() != null
                            && a.birthPrecision().ordinal() < ca.uhn.fhir.model.api.TemporalPrecisionEnum.DAY.ordinal()
                    || b.birthPrecision() != null
                            && b.birthPrecision().ordinal() < ca.uhn.fhir.model.api.TemporalPrecisionEnum.DAY.ordinal();
            return yearOnly ? "same year, a year only" : "same year, 1 January";
        }
        return outcome;
    }

    private static String nameLevel(MatchResult.Evidence e) {
        double w = e.weight();
        if (e.outcome().startsWith("all ")) {
            return w < 3 ? "all <3" : w < 5 ? "all 3-5" : w < 7 ? "all 5-7" : w < 9 ? "all 7-9" : "all 9+";
        }
        if (e.outcome().startsWith("no ")) {
            return "none";
        }
        if (e.outcome().startsWith("the same")) {
            return "joined";
        }
        return w < 0 ? "partial <0" : w < 3 ? "partial 0-3" : "partial 3+";
    }

    static void em(Map<String, long[]> patterns, Map<String, long[]> random) {
        List<String[]> keys = new ArrayList<>();
        List<long[]> counts = new ArrayList<>();
        patterns.forEach((k, v) -> {
            keys.add(k.split("\\|", -1));
            counts.add(v);
        });
        int n = keys.size();
        double[] g = new double[n];
        long total = 0;
        long matches = 0;
        for (int p = 0; p < n; p++) {
            String[] k = keys.get(p);
            // Start from the obvious: the same CNIC, or a name and birth date agreeing, is a match.
            boolean strong = k[0].equals("same")
                    || (k[1].startsWith("all") && (k[2].equals("exact") || k[2].equals("one typo apart")));
            g[p] = strong ? 0.9 : 0.01;
            total += counts.get(p)[0];
            matches += counts.get(p)[1];
        }
        List<Map<String, Double>> m = new ArrayList<>();
        List<Map<String, Double>> u = new ArrayList<>();
        double lambda = 0;
        for (int iteration = 0; iteration < 500; iteration++) {
            // M step
            m.clear();
            u.clear();
            double sumG = 0;
            for (int f = 0; f < FIELDS.length; f++) {
                m.add(new TreeMap<>());
                u.add(new TreeMap<>());
            }
            for (int p = 0; p < n; p++) {
                long c = counts.get(p)[0];
                sumG += c * g[p];
                for (int f = 0; f < FIELDS.length; f++) {
                    m.get(f).merge(keys.get(p)[f], c * g[p], Double::sum);
                    u.get(f).merge(keys.get(p)[f], c * (1 - g[p]), Double::sum);
                }
            }
            lambda = sumG / total;
            for (int f = 0; f < FIELDS.length; f++) {
                final double mg = sumG;
                final double ug = total - sumG;
                m.get(f).replaceAll((l, v) -> Math.max(v / mg, 1e-6));
                u.get(f).replaceAll((l, v) -> Math.max(v / ug, 1e-6));
            }
            // E step
            for (int p = 0; p < n; p++) {
                double lm = Math.log(lambda);
                double lu = Math.log(1 - lambda);
                for (int f = 0; f < FIELDS.length; f++) {
                    lm += Math.log(m.get(f).get(keys.get(p)[f]));
                    lu += Math.log(u.get(f).get(keys.get(p)[f]));
                }
                g[p] = 1 / (1 + Math.exp(lu - lm));
            }
        }
        // The truth, only to show how far the estimate is off.
        List<Map<String, double[]>> truth = new ArrayList<>();
        for (int f = 0; f < FIELDS.length; f++) {
            truth.add(new TreeMap<>());
        }
        for (int p = 0; p < n; p++) {
            long[] c = counts.get(p);
            for (int f = 0; f < FIELDS.length; f++) {
                double[] t = truth.get(f).computeIfAbsent(keys.get(p)[f], l -> new double[2]);
                t[0] += c[1];
                t[1] += c[0] - c[1];
            }
        }
        List<Map<String, Double>> ur = new ArrayList<>();
        long sampled = random.values().stream().mapToLong(c -> c[0]).sum();
        for (int f = 0; f < FIELDS.length; f++) {
            ur.add(new TreeMap<>());
        }
        random.forEach((k, c) -> {
            String[] level = k.split("\\|", -1);
            for (int f = 0; f < FIELDS.length; f++) {
                ur.get(f).merge(level[f], (double) c[0] / sampled, Double::sum);
            }
        });
        System.out.printf(
                "pairs=%d patterns=%d lambda=%.4f (truth %.4f) random pairs=%d%n",
                total, n, lambda, (double) matches / total, sampled);
        System.out.printf(
                "%-14s %-34s %9s %9s %7s | %9s %9s %7s | %10s %7s%n",
                "field", "level", "m", "u", "weight", "m(truth)", "u(truth)", "weight", "u(random)", "weight");
        for (int f = 0; f < FIELDS.length; f++) {
            for (String level : m.get(f).keySet()) {
                double mm = m.get(f).get(level);
                double uu = u.get(f).get(level);
                double[] t = truth.get(f).get(level);
                double tm = Math.max(t[0] / matches, 1e-6);
                double tu = Math.max(t[1] / (total - matches), 1e-6);
                double ru = Math.max(ur.get(f).getOrDefault(level, 0.0), 1.0 / sampled);
                System.out.printf(
                        "%-14s %-34s %9.5f %9.5f %+7.2f | %9.5f %9.5f %+7.2f | %10.7f %+7.2f%n",
                        FIELDS[f], level, mm, uu, weight(mm, uu), tm, tu, weight(tm, tu), ru, weight(mm, ru));
            }
        }
    }

    /** On the matcher's scale: 0.45 per bit. */
    static double weight(double m, double u) {
        return PatientMatcher.WEIGHT_PER_BIT * Math.log(m / u) / Math.log(2);
    }
}

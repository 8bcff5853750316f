package org.sehathub.server.extract;

import java.time.LocalDate;
import java.time.Period;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The k-anonymity check of an extract, on the quasi-identifiers it keeps of each person: birth
 * date, sex, province and district. Every combination released must be shared by at least {@code
 * k} people. The least generalization that leaves at most {@link #MAX_DROPPED_SHARE} of the people
 * in smaller groups is chosen, in this order: birth month; birth year; birth year without the
 * district; a five-year band of birth years without the district; and those people still in
 * groups smaller than k are left out of the extract (with everything of theirs). People 90 and
 * over are one age group at every level ({@link #NINETY_PLUS}), as HIPAA's Safe Harbor has it.
 */
final class KAnonymity {

    static final String NINETY_PLUS = "90+";

    /** At most this share of the people may be left out at a level before a coarser one is tried. */
    static final double MAX_DROPPED_SHARE = 0.05;

    /** What is known of a person before the check: birth date as written (may be null), sex, where. */
    record Quasi(String birthDate, String sex, String province, String district) {}

    /** What is released of a person: birth as generalized ({@code ""} if unknown), sex, where. */
    record Released(String birth, String sex, String province, String district) {}

    /**
     * The result: each released person's quasi-identifiers, the people left out, the level used
     * (0: birth month ... 3: five-year band without district) and the smallest group released.
     */
    record Result(
            Map<String, Released> released, Set<String> dropped, int level, String levelName, int smallestGroup) {}

    static final List<String> LEVELS = List.of(
            "birth month, sex, province, district",
            "birth year, sex, province, district",
            "birth year, sex, province",
            "five-year band of birth years, sex, province");

    private KAnonymity() {}

    static Result check(Map<String, Quasi> people, int k, LocalDate today) {
        Result best = null;
        for (int level = 0; level < LEVELS.size(); level++) {
            Result result = at(people, k, today, level);
            if (result.dropped().size() <= MAX_DROPPED_SHARE * people.size()) {
                return result;
            }
            best = result;
        }
        return best == null ? at(people, k, today, 0) : best;
    }

    private static Result at(Map<String, Quasi> people, int k, LocalDate today, int level) {
        Map<String, Released> released = new LinkedHashMap<>();
        people.forEach((person, quasi) -> released.put(person, generalize(quasi, today, level)));
        Map<Released, Long> groups =
                released.values().stream().collect(Collectors.groupingBy(r -> r, HashMap::new, Collectors.counting()));
        Set<String> dropped = released.entrySet().stream()
                .filter(e -> groups.get(e.getValue()) < k)
                .map(Map.Entry::getKey)
                .collect(Collectors.toSet());
        dropped.forEach(released::remove);
        int smallest = groups.values().stream()
                .filter(n -> n >= k)
                .mapToInt(Long::intValue)
                .min()
                .orElse(0);
        return new Result(released, dropped, level, LEVELS.get(level), smallest);
    }

    static Released generalize(Quasi quasi, LocalDate today, int level) {
        String birth = birth(quasi.birthDate(), today, level);
        return new Released(birth, quasi.sex(), quasi.province(), level >= 2 ? null : quasi.district());
    }

    private static String birth(String date, LocalDate today, int level) {
        if (date == null || date.length() < 4) {
            return "";
        }
        int year;
        try {
            year = Integer.parseInt(date.substring(0, 4));
        } catch (NumberFormatException e) {
            return "";
        }
        if (ninetyOrOver(date, year, today)) {
            return NINETY_PLUS;
        }
        return switch (level) {
            case 0 -> date.length() >= 7 ? date.substring(0, 7) : date.substring(0, 4);
            case 1, 2 -> date.substring(0, 4);
            default -> (year / 5 * 5) + "-" + (year / 5 * 5 + 4);
        };
    }

    /** Whether someone born then may be 90 or over today (a year alone: if she could be). */
    private static boolean ninetyOrOver(String date, int year, LocalDate today) {
        try {
            if (date.length() >= 10) {
                return Period.between(LocalDate.parse(date.substring(0, 10)), today)
                                .getYears()
                        >= 90;
            }
        } catch (DateTimeParseException e) {
            // fall through to the year
        }
        return today.getYear() - year >= 90;
    }
}

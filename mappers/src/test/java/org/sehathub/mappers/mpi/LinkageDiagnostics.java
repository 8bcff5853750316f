package org.sehathub.mappers.mpi;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Where the evaluation's recall, review queue and false links come from, on the population {@link
 * LinkageQualityTest} measures: the pairs of one person by what they have to go on (shared CNIC,
 * how their birth dates compare), whether blocking made them candidates, how the matcher graded
 * them and whether they ended in one person; the queued pairs by why they were queued, with their
 * yield; the first false links with their evidence. Run with {@code -Dmpi.diagnose=true} (and
 * {@code -Dmpi.records=}, {@code -Dmpi.match=}, {@code -Dmpi.possible=}).
 */
class LinkageDiagnostics {

    private static final LocalDate TODAY = LocalDate.of(2026, 12, 6);

    @Test
    void diagnose() {
        Assumptions.assumeTrue(Boolean.getBoolean("mpi.diagnose"));
        int size = Integer.getInteger("mpi.records", 3000);
        List<SourceRenderer.Stored> stored = LinkageEvaluation.population(42, 7, size, TODAY);
        PatientMatcher matcher = LinkageEvaluation.matcher(
                new PatientMatcher.Thresholds(
                        Double.parseDouble(System.getProperty("mpi.match", "9")),
                        Double.parseDouble(System.getProperty("mpi.possible", "8.5"))),
                stored);
        LinkageEvaluation.Linked linked = LinkageEvaluation.link(stored, matcher);
        // Every pair of records of one true person, by what the pair has to go on.
        Map<String, long[]> table = new TreeMap<>();
        long[] total = {0};
        forEachPairWithin(groups(stored.size(), i -> stored.get(i).person()), (i, j) -> {
            PersonRecord a = stored.get(i).record();
            PersonRecord b = stored.get(j).record();
            MatchResult r = matcher.compare(a, b);
            boolean candidate = Blocking.keys(a).stream().anyMatch(Blocking.keys(b)::contains);
            boolean same = linked.person()[i].equals(linked.person()[j]);
            long[] row = table.computeIfAbsent(category(a, b, r), k -> new long[6]);
            row[0]++;
            row[1] += candidate ? 1 : 0;
            row[2] += r.grade().links() ? 1 : 0;
            row[3] += r.grade() == MatchGrade.POSSIBLE ? 1 : 0;
            row[4] += same ? 1 : 0;
            row[5] += r.grade().links() && !same ? 1 : 0;
            total[0]++;
        });
        System.out.printf(
                "%-60s %6s %6s %6s %6s %6s %6s %6s%n",
                "category", "pairs", "share", "cand", "links", "poss", "final", "lostByRule");
        for (Map.Entry<String, long[]> e : table.entrySet()) {
            long[] r = e.getValue();
            System.out.printf(
                    "%-60s %6d %5.1f%% %5.1f%% %5.1f%% %5.1f%% %5.1f%% %6d%n",
                    e.getKey(),
                    r[0],
                    100.0 * r[0] / total[0],
                    100.0 * r[1] / r[0],
                    100.0 * r[2] / r[0],
                    100.0 * r[3] / r[0],
                    100.0 * r[4] / r[0],
                    r[5]);
        }
        Map<String, long[]> queue = new TreeMap<>();
        for (int[] pair : linked.queued()) {
            if (linked.person()[pair[0]].equals(linked.person()[pair[1]])) {
                continue;
            }
            MatchResult r = matcher.compare(
                    stored.get(pair[0]).record(), stored.get(pair[1]).record());
            String why = r.grade()
                    + (r.grade().links()
                            ? " (other person or barred)"
                            : r.score() >= matcher.matchThreshold() ? " above match" : " band");
            why += " "
                    + category(stored.get(pair[0]).record(), stored.get(pair[1]).record(), r);
            long[] q = queue.computeIfAbsent(why, k -> new long[2]);
            q[0]++;
            q[1] += stored.get(pair[0]).person() == stored.get(pair[1]).person() ? 1 : 0;
        }
        queue.forEach((k, q) -> System.out.printf("QUEUE %-80s %6d %5.1f%%%n", k, q[0], 100.0 * q[1] / q[0]));
        // False links: pairs of records of two true persons put into one, the first 40.
        int[] shown = {0};
        forEachPairWithin(groups(stored.size(), i -> linked.person()[i]), (i, j) -> {
            if (stored.get(i).person() != stored.get(j).person() && shown[0]++ < 40) {
                MatchResult r =
                        matcher.compare(stored.get(i).record(), stored.get(j).record());
                System.out.println("FALSE " + r.grade() + " " + r.score() + " " + r.evidence());
            }
        });
    }

    /** The indexes 0 .. size-1 grouped by their key. */
    private static <K> Collection<List<Integer>> groups(int size, IntFunction<K> key) {
        Map<K, List<Integer>> groups = new HashMap<>();
        for (int i = 0; i < size; i++) {
            groups.computeIfAbsent(key.apply(i), k -> new ArrayList<>()).add(i);
        }
        return groups.values();
    }

    /** Every pair of indexes within one group, each pair once. */
    private static void forEachPairWithin(Collection<List<Integer>> groups, BiConsumer<Integer, Integer> pair) {
        for (List<Integer> group : groups) {
            for (int x = 0; x < group.size(); x++) {
                for (int y = x + 1; y < group.size(); y++) {
                    pair.accept(group.get(x), group.get(y));
                }
            }
        }
    }

    static String category(PersonRecord a, PersonRecord b, MatchResult r) {
        StringBuilder s = new StringBuilder();
        if (a.cnic() != null && a.cnic().equals(b.cnic())) {
            s.append("cnic ");
        } else if (a.cnic() != null && b.cnic() != null) {
            s.append("cnic-typo ");
        }
        String birth = r.evidence().stream()
                .filter(e -> e.field().equals("birthDate"))
                .map(e -> e.outcome())
                .findFirst()
                .orElse("none");
        s.append("dob:").append(birth);
        return s.toString();
    }
}

package org.sehathub.mappers.mpi;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Links a population's records with {@link PatientMatcher} as the record would (candidates found by
 * blocking keys, each candidate pair compared, links of grade certain or probable joined into
 * persons) and scores the result against the truth: pairwise precision and recall of the links,
 * the people-count error, and the share of records an operator would have to review.
 */
final class LinkageEvaluation {

    /** The figures of one run. */
    record Figures(
            int records,
            int people,
            int personsFound,
            long truePairs,
            long linkedPairs,
            long correctLinkedPairs,
            int recordsToReview,
            long comparisons,
            long skippedBlocks,
            double millis) {

        double precision() {
            return linkedPairs == 0 ? 1.0 : (double) correctLinkedPairs / linkedPairs;
        }

        double recall() {
            return truePairs == 0 ? 1.0 : (double) correctLinkedPairs / truePairs;
        }

        double peopleCountError() {
            return (double) (personsFound - people) / people;
        }

        double reviewShare() {
            return (double) recordsToReview / records;
        }
    }

    /** Blocks larger than this are not compared within (a name and year everyone shares). */
    static final int MAX_BLOCK = 400;

    static Figures run(List<SourceRenderer.Stored> stored, PatientMatcher matcher) {
        long start = System.nanoTime();
        int n = stored.size();
        Map<String, List<Integer>> blocks = new HashMap<>();
        for (int i = 0; i < n; i++) {
            for (String key : Blocking.keys(stored.get(i).record())) {
                blocks.computeIfAbsent(key, k -> new ArrayList<>()).add(i);
            }
        }
        int[] parent = new int[n];
        for (int i = 0; i < n; i++) {
            parent[i] = i;
        }
        Set<Long> compared = new HashSet<>();
        Set<Integer> review = new HashSet<>();
        List<long[]> possible = new ArrayList<>();
        long skipped = 0;
        for (List<Integer> block : blocks.values()) {
            if (block.size() > MAX_BLOCK) {
                skipped++;
                continue;
            }
            for (int x = 0; x < block.size(); x++) {
                for (int y = x + 1; y < block.size(); y++) {
                    int i = block.get(x);
                    int j = block.get(y);
                    long pair = ((long) Math.min(i, j) << 32) | Math.max(i, j);
                    if (!compared.add(pair)) {
                        continue;
                    }
                    MatchResult result = matcher.compare(
                            stored.get(i).record(), stored.get(j).record());
                    if (result.grade().links()) {
                        union(parent, i, j);
                    } else if (result.grade() == MatchGrade.POSSIBLE) {
                        possible.add(new long[] {i, j});
                    }
                }
            }
        }
        for (long[] pair : possible) {
            // A possible match between records already joined by links is no work for anyone.
            if (find(parent, (int) pair[0]) != find(parent, (int) pair[1])) {
                review.add((int) pair[0]);
                review.add((int) pair[1]);
            }
        }
        Map<Integer, Integer> clusterSize = new HashMap<>();
        Map<Integer, Map<Integer, Integer>> personsInCluster = new HashMap<>();
        Map<Integer, Integer> recordsOfPerson = new HashMap<>();
        for (int i = 0; i < n; i++) {
            int cluster = find(parent, i);
            int person = stored.get(i).person();
            clusterSize.merge(cluster, 1, Integer::sum);
            personsInCluster.computeIfAbsent(cluster, c -> new HashMap<>()).merge(person, 1, Integer::sum);
            recordsOfPerson.merge(person, 1, Integer::sum);
        }
        long linked = clusterSize.values().stream()
                .mapToLong(s -> (long) s * (s - 1) / 2)
                .sum();
        long correct = personsInCluster.values().stream()
                .flatMap(m -> m.values().stream())
                .mapToLong(s -> (long) s * (s - 1) / 2)
                .sum();
        long truePairs = recordsOfPerson.values().stream()
                .mapToLong(s -> (long) s * (s - 1) / 2)
                .sum();
        return new Figures(
                n,
                recordsOfPerson.size(),
                clusterSize.size(),
                truePairs,
                linked,
                correct,
                review.size(),
                compared.size(),
                skipped,
                (System.nanoTime() - start) / 1e6);
    }

    private static int find(int[] parent, int i) {
        while (parent[i] != i) {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        return i;
    }

    private static void union(int[] parent, int i, int j) {
        parent[find(parent, i)] = find(parent, j);
    }
}

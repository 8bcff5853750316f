package org.sehathub.mappers.mpi;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Links a population's records as the server does ({@code PersonLinker}): one record at a time, in
 * an arrival order shuffled from a seed, each compared with the records already placed that share
 * a blocking key, and put into a person by {@link PersonLinkRule} (never across a contradiction,
 * never merging two persons); the pairs the rule leaves open are the review queue. Scores the
 * result against the truth: pairwise precision and recall, the people-count error, the share of
 * records an operator would have to review, and how many queued pairs are one person (the yield).
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
            long reviewPairs,
            long reviewPairsSamePerson,
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

        /** Of the pairs queued for review, the share that are one person. */
        double reviewYield() {
            return reviewPairs == 0 ? 0.0 : (double) reviewPairsSamePerson / reviewPairs;
        }
    }

    /** A synthetic population of about {@code size} records, sent through the real mappers. */
    static List<SourceRenderer.Stored> population(long seed, long renderSeed, int size, java.time.LocalDate today) {
        SyntheticPopulation population = SyntheticPopulation.generate(seed, size, today);
        return new SourceRenderer(renderSeed, today).storeAll(population.visits());
    }

    /** A matcher weighing name words by their shares among these records. */
    static PatientMatcher matcher(PatientMatcher.Thresholds thresholds, List<SourceRenderer.Stored> stored) {
        return new PatientMatcher(
                thresholds,
                NameFrequencies.of(
                        stored.stream().map(SourceRenderer.Stored::record).toList()));
    }

    /** Blocks larger than this are not searched (a name and year everyone shares). */
    static final int MAX_BLOCK = 400;

    /** Where each record was placed ({@code person}), and the pairs the rule queued. */
    record Linked(String[] person, List<int[]> queued, long comparisons, int skippedBlocks, double millis) {}

    static Figures run(List<SourceRenderer.Stored> stored, PatientMatcher matcher) {
        return figures(stored, link(stored, matcher));
    }

    static Linked link(List<SourceRenderer.Stored> stored, PatientMatcher matcher) {
        long start = System.nanoTime();
        int n = stored.size();
        List<Integer> arrival = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            arrival.add(i);
        }
        Collections.shuffle(arrival, new Random(11));
        Map<String, List<Integer>> blocks = new HashMap<>();
        String[] person = new String[n];
        List<int[]> queued = new ArrayList<>();
        long comparisons = 0;
        Set<String> skipped = new HashSet<>();
        for (int i : arrival) {
            PersonRecord record = stored.get(i).record();
            Set<String> keys = Blocking.keys(record);
            Set<Integer> candidates = new LinkedHashSet<>();
            for (String key : keys) {
                List<Integer> block = blocks.getOrDefault(key, List.of());
                if (block.size() > MAX_BLOCK) {
                    skipped.add(key);
                } else {
                    candidates.addAll(block);
                }
            }
            List<PersonLinkRule.Compared> compared = new ArrayList<>();
            for (int c : candidates) {
                compared.add(new PersonLinkRule.Compared(
                        String.valueOf(c),
                        person[c],
                        matcher.compare(record, stored.get(c).record()),
                        false));
            }
            comparisons += compared.size();
            PersonLinkRule.Decision decision = PersonLinkRule.decide(compared);
            person[i] = decision.person() != null ? decision.person() : "p" + i;
            for (PersonLinkRule.Compared pair : decision.toReview()) {
                queued.add(new int[] {i, Integer.parseInt(pair.record())});
            }
            for (String key : keys) {
                blocks.computeIfAbsent(key, k -> new ArrayList<>()).add(i);
            }
        }
        return new Linked(person, queued, comparisons, skipped.size(), (System.nanoTime() - start) / 1e6);
    }

    static Figures figures(List<SourceRenderer.Stored> stored, Linked linked) {
        int n = stored.size();
        String[] person = linked.person();
        List<int[]> queued = linked.queued();
        Set<Integer> review = new HashSet<>();
        long reviewPairs = 0;
        long reviewSame = 0;
        for (int[] pair : queued) {
            // A pair whose records ended in one person is no work for anyone.
            if (!person[pair[0]].equals(person[pair[1]])) {
                review.add(pair[0]);
                review.add(pair[1]);
                reviewPairs++;
                if (stored.get(pair[0]).person() == stored.get(pair[1]).person()) {
                    reviewSame++;
                }
            }
        }
        Map<String, Integer> clusterSize = new HashMap<>();
        Map<String, Map<Integer, Integer>> personsInCluster = new HashMap<>();
        Map<Integer, Integer> recordsOfPerson = new HashMap<>();
        for (int i = 0; i < n; i++) {
            int truth = stored.get(i).person();
            clusterSize.merge(person[i], 1, Integer::sum);
            personsInCluster.computeIfAbsent(person[i], c -> new HashMap<>()).merge(truth, 1, Integer::sum);
            recordsOfPerson.merge(truth, 1, Integer::sum);
        }
        long linkedPairs = clusterSize.values().stream()
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
                linkedPairs,
                correct,
                review.size(),
                reviewPairs,
                reviewSame,
                linked.comparisons(),
                linked.skippedBlocks(),
                linked.millis());
    }
}

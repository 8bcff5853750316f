package org.sehathub.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Percentiles of one measurement, and median/min/max across repetitions. */
final class Stats {

    private Stats() {}

    /** Nearest-rank percentile of the values (0 < p <= 100). */
    static double percentile(List<Double> values, double p) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * sorted.size());
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
    }

    /** Median, minimum and maximum of a figure measured once per repetition. */
    record Spread(double median, double min, double max, int n) {

        static Spread of(List<Double> values) {
            List<Double> finite =
                    values.stream().filter(v -> !v.isNaN()).sorted().toList();
            if (finite.isEmpty()) {
                return new Spread(Double.NaN, Double.NaN, Double.NaN, 0);
            }
            int n = finite.size();
            double median = n % 2 == 1 ? finite.get(n / 2) : (finite.get(n / 2 - 1) + finite.get(n / 2)) / 2;
            return new Spread(median, finite.get(0), finite.get(n - 1), n);
        }
    }
}

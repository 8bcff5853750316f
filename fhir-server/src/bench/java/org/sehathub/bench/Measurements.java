package org.sehathub.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The figures of one server run, each collected once per repetition. */
final class Measurements {

    /**
     * One figure across repetitions.
     *
     * @param name stable key, e.g. {@code fhirIngest.c4}
     * @param label what the table says
     * @param unit unit of the values
     * @param higherIsBetter true for throughput, false for latency, time and memory
     * @param values one per repetition
     */
    record Series(String name, String label, String unit, boolean higherIsBetter, List<Double> values) {

        Stats.Spread spread() {
            return Stats.Spread.of(values);
        }
    }

    final Map<String, Series> series = new LinkedHashMap<>();
    final List<String> notes = new ArrayList<>();

    void add(String name, String label, String unit, boolean higherIsBetter, double value) {
        series.computeIfAbsent(name, n -> new Series(n, label, unit, higherIsBetter, new ArrayList<>()))
                .values()
                .add(value);
    }
}

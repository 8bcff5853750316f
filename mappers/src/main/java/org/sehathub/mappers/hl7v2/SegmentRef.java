package org.sehathub.mappers.hl7v2;

import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.model.Group;
import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.model.Segment;
import ca.uhn.hl7v2.model.Structure;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One segment of a message in message order, with the label used in issue locations: {@code PID}
 * for segments a message has once, {@code OBX[3]} (the third OBX of the message) otherwise.
 *
 * <p>Locations read {@code PID-3[2].1} (field 3, repetition 2, component 1) or {@code OBX[3]-5}.
 */
record SegmentRef(Segment segment, String name, int occurrence, boolean indexed) {

    /** Segments that a message carries at most once in the types we map. */
    private static final Set<String> SINGLE =
            Set.of("MSH", "EVN", "PID", "PD1", "PV1", "PV2", "MRG", "SCH", "TQ1", "TXA");

    String label() {
        return indexed ? name + "[" + occurrence + "]" : name;
    }

    /** {@code PID-7}. */
    String at(int field) {
        return label() + "-" + field;
    }

    /** {@code PID-3[2]}. */
    String at(int field, int rep) {
        return at(field) + "[" + rep + "]";
    }

    /** {@code PID-3[2].1}. */
    String at(int field, int rep, int component) {
        return at(field, rep) + "." + component;
    }

    String field(int field) {
        return V2.field(segment, field);
    }

    /**
     * Every non-empty segment of the message, in message order, including non-standard segments
     * HAPI kept where they appeared.
     */
    static List<SegmentRef> flatten(Message message) {
        List<Segment> segments = new ArrayList<>();
        collect(message, segments);
        Map<String, Integer> totals = new HashMap<>();
        segments.forEach(s -> totals.merge(s.getName(), 1, Integer::sum));
        Map<String, Integer> seen = new HashMap<>();
        List<SegmentRef> out = new ArrayList<>();
        for (Segment s : segments) {
            String name = s.getName();
            int occurrence = seen.merge(name, 1, Integer::sum);
            boolean indexed = !SINGLE.contains(name) || totals.get(name) > 1;
            out.add(new SegmentRef(s, name, occurrence, indexed));
        }
        return out;
    }

    private static void collect(Group group, List<Segment> out) {
        for (String name : group.getNames()) {
            Structure[] reps;
            try {
                reps = group.getAll(name);
            } catch (HL7Exception e) {
                continue;
            }
            for (Structure s : reps) {
                if (s instanceof Group g) {
                    collect(g, out);
                } else if (s instanceof Segment seg && !isEmpty(seg)) {
                    out.add(seg);
                }
            }
        }
    }

    private static boolean isEmpty(Segment s) {
        try {
            return s.isEmpty();
        } catch (HL7Exception e) {
            return true;
        }
    }
}

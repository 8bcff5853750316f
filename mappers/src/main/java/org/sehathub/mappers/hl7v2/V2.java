package org.sehathub.mappers.hl7v2;

import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.model.Composite;
import ca.uhn.hl7v2.model.ExtraComponents;
import ca.uhn.hl7v2.model.Primitive;
import ca.uhn.hl7v2.model.Segment;
import ca.uhn.hl7v2.model.Type;
import ca.uhn.hl7v2.model.Varies;
import java.util.ArrayList;
import java.util.List;

/**
 * Positional reads of HL7 v2 values (field, repetition, component, subcomponent; all 1-based as
 * in the standard), the same for typed v2.8 segments, Z-segments and datatypes whose shape
 * changed between versions. Empty values and the HL7 null {@code ""} read as {@code null}.
 */
final class V2 {

    private V2() {}

    /** Repetitions of a field that carry a value. */
    static List<Type> reps(Segment segment, int field) {
        List<Type> out = new ArrayList<>();
        try {
            if (field > segment.numFields()) {
                return out;
            }
            for (Type t : segment.getField(field)) {
                if (!isEmpty(t)) {
                    out.add(t);
                }
            }
        } catch (HL7Exception e) {
            // A field number beyond the segment's definition: no value.
        }
        return out;
    }

    /** First repetition of a field, or null. */
    static Type first(Segment segment, int field) {
        List<Type> reps = reps(segment, field);
        return reps.isEmpty() ? null : reps.get(0);
    }

    /** Text of the first component of the first repetition of a field. */
    static String field(Segment segment, int field) {
        Type t = first(segment, field);
        return t == null ? null : text(t);
    }

    /** Component {@code comp} of repetition {@code rep} of a field. */
    static String component(Segment segment, int field, int rep, int comp) {
        List<Type> reps = reps(segment, field);
        return reps.size() < rep ? null : component(reps.get(rep - 1), comp);
    }

    /** The first subcomponent of component {@code comp} (1-based). */
    static String component(Type type, int comp) {
        Type c = componentType(type, comp);
        return c == null ? null : text(c);
    }

    /** Subcomponent {@code sub} of component {@code comp}. */
    static String subcomponent(Type type, int comp, int sub) {
        Type c = componentType(type, comp);
        if (c == null) {
            return null;
        }
        Type s = componentType(c, sub);
        return s == null ? null : text(s);
    }

    /** Component {@code comp} of a value as a Type (for nested datatypes such as CX-4 HD). */
    static Type componentType(Type type, int comp) {
        Type t = unwrap(type);
        if (t == null) {
            return null;
        }
        if (t instanceof Composite composite) {
            Type[] components = composite.getComponents();
            if (comp <= components.length) {
                return components[comp - 1];
            }
            return extra(t.getExtraComponents(), comp - components.length - 1);
        }
        // A primitive holds component 1; anything after it was parsed into extra components.
        return comp == 1 ? t : extra(t.getExtraComponents(), comp - 2);
    }

    /** The text of a value: a primitive's value, a composite's first component. */
    static String text(Type type) {
        Type t = unwrap(type);
        if (t == null) {
            return null;
        }
        if (t instanceof Primitive primitive) {
            return clean(primitive.getValue());
        }
        if (t instanceof Composite composite) {
            Type[] components = composite.getComponents();
            return components.length == 0 ? null : text(components[0]);
        }
        return null;
    }

    static boolean isEmpty(Type type) {
        try {
            return type == null || type.isEmpty();
        } catch (HL7Exception e) {
            return true;
        }
    }

    static Type unwrap(Type type) {
        Type t = type;
        while (t instanceof Varies varies) {
            t = varies.getData();
        }
        return t;
    }

    private static Type extra(ExtraComponents extra, int index) {
        if (index < 0 || index >= extra.numComponents()) {
            return null;
        }
        return extra.getComponent(index).getData();
    }

    private static String clean(String value) {
        if (value == null) {
            return null;
        }
        String v = value.strip();
        return v.isEmpty() || v.equals("\"\"") ? null : v;
    }
}

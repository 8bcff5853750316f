package org.sehathub.mappers.mpi;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The keys under which a record looks for candidates, so that a record is compared with the few
 * that could be the same person, not with everyone: its own CNIC or B-form (and the CNIC sent on
 * it that is a parent's, with its birth year), a phone, each rare name word with the birth year
 * and with the birth day and month, each name word with the full birth date, each rare name word
 * with the father's or husband's first word, and the whole name when it has a rare word. Every key is typed ({@code cnic:}, {@code name-year:}...) so that keys of
 * different kinds never meet.
 */
public final class Blocking {

    private Blocking() {}

    public static Set<String> keys(PersonRecord record) {
        Set<String> keys = new LinkedHashSet<>();
        if (record.cnic() != null) {
            keys.add("cnic:" + record.cnic());
        }
        if (record.bForm() != null) {
            keys.add("bform:" + record.bForm());
        }
        String year =
                record.birthDate() != null ? String.valueOf(record.birthDate().getYear()) : null;
        if (record.guardianCnic() != null && year != null) {
            keys.add("guardian-year:" + record.guardianCnic() + "|" + year);
        }
        for (String phone : record.phones()) {
            keys.add("phone:" + phone);
        }
        String relative = record.relative().isEmpty() ? null : record.relative().get(0);
        for (List<String> name : record.names()) {
            for (String word : name) {
                boolean rare = !NameKeys.isCommon(word);
                if (rare && year != null) {
                    keys.add("name-year:" + word + "|" + year);
                }
                if (record.birthDate() != null) {
                    keys.add("name-date:" + word + "|" + record.birthDate());
                }
                if (rare && relative != null) {
                    keys.add("name-relative:" + word + "|" + relative);
                }
                if (rare && record.birthDate() != null) {
                    // A year mistyped still finds the day and month.
                    keys.add("name-day:" + word + "|"
                            + record.birthDate().toString().substring(5));
                }
            }
            if (year != null) {
                keys.add("name-year:" + String.join(" ", name.stream().sorted().toList()) + "|" + year);
            }
            if (name.stream().anyMatch(w -> !NameKeys.isCommon(w))) {
                keys.add("name:" + String.join(" ", name.stream().sorted().toList()));
            }
        }
        return keys;
    }

    /** The prefix of {@link #words} keys. */
    public static final String WORD = "word:";

    /**
     * The record's distinct name words, as keys that count how many records hold each word ({@link
     * NameFrequencies}); not blocking keys: a word alone is shared by far too many.
     */
    public static Set<String> words(PersonRecord record) {
        Set<String> words = new LinkedHashSet<>();
        record.names().forEach(name -> name.forEach(word -> words.add(WORD + word)));
        return words;
    }
}

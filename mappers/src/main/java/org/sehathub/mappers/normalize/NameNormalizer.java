package org.sehathub.mappers.normalize;

import java.util.Locale;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.StringType;

/**
 * Names: Latin-script names are tidied (outer whitespace trimmed, inner whitespace collapsed, a
 * value written all in upper or all in lower case put in Title Case); names in Urdu (Arabic) script
 * are kept exactly as sent, because case does not exist there and spacing can be meaningful.
 *
 * <p>A value written entirely in one case ({@code MUHAMMAD ALI}, {@code ayesha bibi}) has every
 * word Title Cased. In a value that mixes cases, each word is judged on its own: an all-lower word
 * is Title Cased ({@code muhammad IMRAN} -> {@code Muhammad Imran}), a word in mixed case is kept
 * ({@code McBride}), and an all-upper word is Title Cased unless it has at most three letters,
 * which are kept as an acronym or initials ({@code LHV Rukhsana}, {@code M. Ali}).
 */
public final class NameNormalizer {

    private NameNormalizer() {}

    /** A normalized copy of the name; the input is not changed. */
    public static HumanName normalize(HumanName name) {
        HumanName copy = name.copy();
        if (copy.hasFamily()) {
            copy.setFamily(tidy(copy.getFamily()));
        }
        normalizeParts(copy.getGiven());
        normalizeParts(copy.getPrefix());
        normalizeParts(copy.getSuffix());
        if (copy.hasText()) {
            copy.setText(tidy(copy.getText()));
        }
        return copy;
    }

    /**
     * One name part or a full name: unchanged when it contains Urdu/Arabic script, otherwise
     * whitespace collapsed and, when the value is all upper or all lower case, each word Title
     * Cased. Null stays null.
     */
    public static String tidy(String value) {
        if (value == null || isArabicScript(value)) {
            return value;
        }
        String collapsed = collapseWhitespace(value);
        boolean singleCase = !hasUpper(collapsed) || !hasLower(collapsed);
        StringBuilder out = new StringBuilder(collapsed.length());
        for (String word : collapsed.split(" ", -1)) {
            if (out.length() > 0) {
                out.append(' ');
            }
            out.append(singleCase ? titleCase(word) : tidyWordInMixedValue(word));
        }
        return out.toString();
    }

    private static String tidyWordInMixedValue(String word) {
        boolean upper = hasUpper(word);
        boolean lower = hasLower(word);
        if (upper && lower) {
            return word;
        }
        if (upper && word.chars().filter(Character::isLetter).count() <= 3) {
            return word;
        }
        return titleCase(word);
    }

    private static boolean hasUpper(String text) {
        return text.chars().anyMatch(Character::isUpperCase);
    }

    private static boolean hasLower(String text) {
        return text.chars().anyMatch(Character::isLowerCase);
    }

    /** Trim and collapse runs of whitespace (including no-break spaces) to one space. */
    public static String collapseWhitespace(String value) {
        return value.replaceAll("[\\s\\u00A0\\u2007\\u202F]+", " ").strip();
    }

    /** True when the text contains at least one letter of the Arabic script (Urdu, Sindhi, Pashto). */
    public static boolean isArabicScript(String value) {
        return value.codePoints().anyMatch(cp -> Character.UnicodeScript.of(cp) == Character.UnicodeScript.ARABIC);
    }

    private static void normalizeParts(java.util.List<StringType> parts) {
        for (StringType part : parts) {
            if (part.getValue() != null) {
                part.setValue(tidy(part.getValue()));
            }
        }
    }

    /**
     * Title Case one word; letters after a hyphen, apostrophe or dot start a new word ({@code
     * ABDUL-REHMAN} -> {@code Abdul-Rehman}).
     */
    private static String titleCase(String word) {
        String lower = word.toLowerCase(Locale.ROOT);
        StringBuilder out = new StringBuilder(lower.length());
        boolean startOfWord = true;
        for (int i = 0; i < lower.length(); i++) {
            char c = lower.charAt(i);
            out.append(startOfWord ? Character.toUpperCase(c) : c);
            startOfWord = c == '-' || c == '\'' || c == '.';
        }
        return out.toString();
    }
}

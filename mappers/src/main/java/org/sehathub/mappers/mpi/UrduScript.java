package org.sehathub.mappers.mpi;

import java.text.Normalizer;

/**
 * Urdu-script names made comparable: one letter for each letter however it was typed. Keyboards
 * and converters write Urdu with Arabic code points (ي for ی, ك for ک, ه for ہ), with or without
 * diacritics (zer, zabar, pesh), with tatweel and with joiners; two spellings of one name must
 * compare equal.
 */
public final class UrduScript {

    private UrduScript() {}

    /** True when {@code text} has a letter of the Arabic script blocks. */
    public static boolean isUrdu(String text) {
        return text != null && text.codePoints().anyMatch(UrduScript::isArabicLetter);
    }

    /**
     * NFC, Arabic letter variants to their Urdu letters (ي ى ئ to ی, ك to ک, ه ة to ہ, أ إ آ to ا,
     * ؤ to و), diacritics, tatweel and zero-width joiners removed, spaces collapsed.
     */
    public static String normalize(String text) {
        if (text == null) {
            return "";
        }
        String nfc = Normalizer.normalize(text, Normalizer.Form.NFC);
        StringBuilder out = new StringBuilder(nfc.length());
        boolean space = false;
        for (int i = 0; i < nfc.length(); i++) {
            char c = nfc.charAt(i);
            if (isMark(c) || c == '\u0640' || c == '\u200C' || c == '\u200D' || c == '\u200F') {
                continue;
            }
            if (Character.isWhitespace(c) || c == '\u060C') {
                space = out.length() > 0;
                continue;
            }
            if (space) {
                out.append(' ');
                space = false;
            }
            out.append(letter(c));
        }
        return out.toString();
    }

    private static char letter(char c) {
        return switch (c) {
            case '\u064A', '\u0649', '\u0626', '\u06D0' -> '\u06CC'; // ی
            case '\u0643' -> '\u06A9'; // ک
            case '\u0647', '\u0629', '\u06C3', '\u06D5' -> '\u06C1'; // ہ
            case '\u0623', '\u0625', '\u0622', '\u0671' -> '\u0627'; // ا
            case '\u0624' -> '\u0648'; // و
            case '\u06C0' -> '\u06C1';
            default -> c;
        };
    }

    /** Harakat, superscript alef and Quranic marks: what a name may or may not be written with. */
    private static boolean isMark(char c) {
        return (c >= '\u064B' && c <= '\u065F') || c == '\u0670' || (c >= '\u06D6' && c <= '\u06ED');
    }

    private static boolean isArabicLetter(int cp) {
        return (cp >= 0x0620 && cp <= 0x064A) || (cp >= 0x0671 && cp <= 0x06D3) || (cp >= 0xFB50 && cp <= 0xFDFF);
    }
}

package org.sehathub.mappers.mpi;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Names reduced to keys that compare across spellings and scripts. A name is split into words;
 * titles are dropped ({@code Mst.}, {@code Dr}, {@code Hafiz}); each word is spelled the common
 * way ({@code Mohd} and {@code Mohammad} as {@code muhammad}, from {@code mpi/name-variants.tsv});
 * then reduced to a consonant skeleton that Roman Urdu and Urdu script share: {@code Muhammad},
 * {@code Muhammed} and {@code محمد} are all {@code mhmd}; {@code Ayesha}, {@code Aisha} and {@code
 * عائشہ} are all {@code aS}.
 *
 * <p>The skeleton: a word's first vowel (or ع, ا) is kept as {@code a}; later vowels, {@code y},
 * {@code w} and {@code h} (ی, ے, و, ا, ع, ح, ہ, ھ) are dropped, as Roman Urdu writes them in so
 * many ways (an h where Urdu has none, Chaudhry for چوہدری, and none where it has one); digraphs are
 * one letter ({@code kh} {@code x} like خ, {@code sh} {@code S} like ش, {@code gh}, {@code ch},
 * {@code th}, {@code ph}); letters Urdu does not tell apart in Latin are one ({@code q}/{@code k},
 * the four z's, the three s's); doubled letters are one.
 */
public final class NameKeys {

    private static final Set<String> TITLES = Set.of(
            "mr",
            "mrs",
            "ms",
            "miss",
            "dr",
            "prof",
            "mst",
            "mussammat",
            "musammat",
            "mosammat",
            "mohtarma",
            "hafiz",
            "haji",
            "hajji",
            "sahib",
            "sahiba",
            "janab",
            "master",
            "engr",
            "late",
            // connectives of compound names (Noor-ul-Huda, Zia ud Din) and of patronyms (bin, binte)
            "ul",
            "ud",
            "ur",
            "un",
            "us",
            "ad",
            "al",
            "el",
            "bin",
            "binte",
            "bint",
            "ibn");

    private static final Map<String, String> VARIANTS = loadVariants();

    /**
     * Words so common in Pakistani names that agreeing on them says little: the first names, family
     * and caste names and name parts most often met (their skeletons, computed once).
     */
    private static final Set<String> COMMON = skeletons(
            "muhammad ali ahmad khan bibi begum fatima hussain hassan abdul ul shah malik iqbal akhtar rehman raza"
                    + " haider butt asif nasir parveen rafiq jan gul noor syed sheikh arshad aslam akram ashraf"
                    + " javed tariq shahid khalid imran kausar nasreen shamim rana chaudhry awan bano ullah din"
                    + " ahmed mehmood riaz abbas anwar aziz bashir hameed latif majeed");

    private NameKeys() {}

    /** True when this word (already a skeleton) is among the commonest name words. */
    public static boolean isCommon(String skeleton) {
        return COMMON.contains(skeleton);
    }

    /** True for what newborns are registered as before they are named: "Baby of Ayesha", "B/O Ayesha". */
    public static boolean isPlaceholder(String name) {
        if (name == null) {
            return true;
        }
        String n = name.strip().toLowerCase(Locale.ROOT);
        return n.isEmpty()
                || n.startsWith("baby")
                || n.startsWith("b/o")
                || n.startsWith("b.o")
                || n.equals("unknown")
                || n.startsWith("unknown ")
                || n.startsWith("newborn")
                || n.startsWith("infant")
                || n.startsWith("بچہ")
                || n.startsWith("نامعلوم");
    }

    /** The skeletons of a name's words, titles dropped, in order. */
    public static List<String> words(String name) {
        List<String> keys = new ArrayList<>();
        if (name == null) {
            return keys;
        }
        String text = UrduScript.isUrdu(name) ? UrduScript.normalize(name) : latin(name);
        for (String word : text.split("[\\s.,'\\-/]+")) {
            if (word.isEmpty() || TITLES.contains(word) || word.equals("ال")) {
                continue;
            }
            String spelled = VARIANTS.getOrDefault(word, word);
            for (String part : spelled.split(" ")) {
                String key = skeleton(part);
                if (!key.isEmpty()) {
                    keys.add(key);
                }
            }
        }
        return keys;
    }

    /** Lower case, accents off, only letters, dots, hyphens and spaces. */
    private static String latin(String name) {
        String plain = Normalizer.normalize(name, Normalizer.Form.NFD).replaceAll("\\p{M}+", "");
        return plain.toLowerCase(Locale.ROOT).replaceAll("[^a-z.\\-/' ]", " ").strip();
    }

    /** The consonant skeleton of one word, Latin or Urdu script (see the class comment). */
    static String skeleton(String word) {
        return UrduScript.isUrdu(word) ? urdu(word) : roman(word);
    }

    private static String roman(String word) {
        String w = word.replace("kh", "x")
                .replace("gh", "g")
                .replace("sh", "S")
                .replace("ch", "c")
                .replace("th", "t")
                .replace("dh", "d")
                .replace("ph", "f")
                .replace("bh", "b")
                .replace("jh", "j")
                .replace("zh", "z")
                .replace("ck", "k")
                .replace('q', 'k')
                .replace('v', 'w');
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < w.length(); i++) {
            char c = w.charAt(i);
            boolean vowel = "aeiou".indexOf(c) >= 0;
            if (i == 0) {
                out.append(vowel ? 'a' : c);
                continue;
            }
            if (vowel || c == 'y' || c == 'w' || c == '.' || c == '\'') {
                continue;
            }
            if (c == 'h') {
                continue; // Roman Urdu writes an h where Urdu has none (Chaudhry) and drops ones it has
            }
            append(out, c);
        }
        return out.toString();
    }

    private static String urdu(String word) {
        String w = UrduScript.normalize(word);
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < w.length(); i++) {
            char c = w.charAt(i);
            char mapped = urduLetter(c);
            if (i == 0) {
                if (c == '\u0627' || c == '\u0639') {
                    out.append('a');
                } else if (c == '\u06CC' || c == '\u06D2') {
                    out.append('y');
                } else if (c == '\u0648') {
                    out.append('w');
                } else if (c == '\u062D' || c == '\u06C1') {
                    out.append('h');
                } else if (mapped != 0) {
                    out.append(mapped);
                }
                continue;
            }
            if (mapped != 0) {
                append(out, mapped);
            }
        }
        return out.toString();
    }

    /** An Urdu letter's Latin skeleton letter; 0 for letters dropped after the first (vowels, و, ی, ع, ح, ہ, ھ). */
    private static char urduLetter(char c) {
        return switch (c) {
            case '\u0628' -> 'b';
            case '\u067E' -> 'p';
            case '\u062A', '\u0679', '\u0637' -> 't';
            case '\u062B', '\u0633', '\u0635' -> 's';
            case '\u062C' -> 'j';
            case '\u0686' -> 'c';
            case '\u062E' -> 'x';
            case '\u062F', '\u0688' -> 'd';
            case '\u0630', '\u0632', '\u0698', '\u0636', '\u0638' -> 'z';
            case '\u0631', '\u0691' -> 'r';
            case '\u0634' -> 'S';
            case '\u063A' -> 'g';
            case '\u0641' -> 'f';
            case '\u0642', '\u06A9' -> 'k';
            case '\u06AF' -> 'g';
            case '\u0644' -> 'l';
            case '\u0645' -> 'm';
            case '\u0646', '\u06BA' -> 'n';
            default -> 0; // ا ع و ی ے ھ ء and anything else
        };
    }

    private static void append(StringBuilder out, char c) {
        if (out.length() == 0 || out.charAt(out.length() - 1) != c) {
            out.append(c);
        }
    }

    private static Set<String> skeletons(String words) {
        Set<String> keys = new HashSet<>();
        for (String word : words.split(" ")) {
            keys.addAll(words(word));
        }
        return Set.copyOf(keys);
    }

    private static Map<String, String> loadVariants() {
        Map<String, String> variants = new HashMap<>();
        Set<String> seen = new HashSet<>();
        try (InputStream in = NameKeys.class.getResourceAsStream("/mpi/name-variants.tsv")) {
            if (in == null) {
                throw new IllegalStateException("mpi/name-variants.tsv is missing from the classpath");
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line; (line = reader.readLine()) != null; ) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] cols = line.split("\t");
                String canonical = cols[0].strip();
                for (String variant : cols[1].split(",")) {
                    String v = variant.strip();
                    if (!v.isEmpty() && seen.add(v)) {
                        variants.put(v, canonical);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.copyOf(variants);
    }
}

package org.sehathub.mappers.terminology;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.ConceptMap;
import org.hl7.fhir.r4.model.ConceptMap.ConceptMapGroupComponent;
import org.hl7.fhir.r4.model.ConceptMap.SourceElementComponent;
import org.hl7.fhir.r4.model.Enumerations.ConceptMapEquivalence;
import org.hl7.fhir.r4.model.Enumerations.PublicationStatus;
import org.sehathub.mappers.NamingSystems;

/**
 * The code maps operators edit in {@code config/terminology/}: local lab, diagnosis and vaccine
 * codes to LOINC, ICD-10 and CVX.
 *
 * <p>{@code maps.csv} lists the maps ({@code name,title,source_system,target_system}); each map is
 * {@code <name>.csv} with columns {@code source_code,source_display,target_code,target_display,
 * equivalence} (and an optional {@code comment}). Lines starting with {@code #} are comments.
 * Source codes match case-insensitively and ignoring surrounding or repeated spaces. A row with
 * equivalence {@code unmatched} and no target records that a local code has knowingly no standard
 * equivalent.
 *
 * <p>The same tables are exported as FHIR ConceptMaps ({@link #toConceptMaps()}) with canonical
 * urls {@code https://fhir.sehathub.pk/ConceptMap/<name>}, so the server's {@code $translate}
 * answers what the mappers do. Instances are immutable and thread-safe; mappers receive one
 * through their constructor.
 */
public final class TerminologyMaps {

    public static final String LAB_TO_LOINC = "lab-to-loinc";
    public static final String DIAGNOSIS_TO_ICD10 = "diagnosis-to-icd10";
    public static final String VACCINE_TO_CVX = "vaccine-to-cvx";

    static final String INDEX_FILE = "maps.csv";
    private static final String CLASSPATH_DIR = "terminology/";

    private static final CSVFormat FORMAT = CSVFormat.DEFAULT
            .builder()
            .setHeader()
            .setSkipHeaderRecord(true)
            .setCommentMarker('#')
            .setIgnoreEmptyLines(true)
            .setIgnoreSurroundingSpaces(true)
            .setTrim(true)
            .build();

    /** One row of a map file. */
    public record Entry(
            String sourceCode,
            String sourceDisplay,
            String targetCode,
            String targetDisplay,
            ConceptMapEquivalence equivalence) {}

    /** One map: its systems and rows, keyed by normalized source code. */
    public record TerminologyMap(
            String name, String title, String sourceSystem, String targetSystem, Map<String, Entry> entries) {

        /** The row for a source code, matched ignoring case and spacing. */
        public Optional<Entry> lookup(String sourceCode) {
            return sourceCode == null ? Optional.empty() : Optional.ofNullable(entries.get(key(sourceCode)));
        }
    }

    private final Map<String, TerminologyMap> maps;

    private TerminologyMaps(Map<String, TerminologyMap> maps) {
        this.maps = Collections.unmodifiableMap(maps);
    }

    /** The maps shipped in the jar (copied from {@code config/terminology/} at build time). */
    public static TerminologyMaps loadDefault() {
        return load(null);
    }

    /**
     * The maps in {@code dir}, falling back file by file to the shipped defaults: an operator can
     * override one table by putting just that file in the directory. A {@code maps.csv} in the
     * directory replaces the list of maps (to add a new one).
     */
    public static TerminologyMaps load(Path dir) {
        List<CSVRecord> index = readRecords(INDEX_FILE, dir);
        Map<String, TerminologyMap> maps = new LinkedHashMap<>();
        for (CSVRecord row : index) {
            String name = required(row, "name", INDEX_FILE);
            String fileName = name + ".csv";
            Map<String, Entry> entries = new LinkedHashMap<>();
            for (CSVRecord record : readRecords(fileName, dir)) {
                Entry entry = toEntry(record, fileName);
                Entry previous = entries.putIfAbsent(key(entry.sourceCode()), entry);
                if (previous != null) {
                    throw new IllegalArgumentException(
                            fileName + " line " + record.getParser().getCurrentLineNumber() + ": source_code '"
                                    + entry.sourceCode() + "' appears twice");
                }
            }
            maps.put(
                    name,
                    new TerminologyMap(
                            name,
                            required(row, "title", INDEX_FILE),
                            required(row, "source_system", INDEX_FILE),
                            required(row, "target_system", INDEX_FILE),
                            Collections.unmodifiableMap(entries)));
        }
        return new TerminologyMaps(maps);
    }

    /** Names of the loaded maps, e.g. {@code lab-to-loinc}. */
    public Set<String> names() {
        return maps.keySet();
    }

    /**
     * One map by name.
     *
     * @throws IllegalArgumentException for a map that is not loaded (a programming error)
     */
    public TerminologyMap map(String mapName) {
        TerminologyMap map = maps.get(mapName);
        if (map == null) {
            throw new IllegalArgumentException("no terminology map named " + mapName + ", have " + names());
        }
        return map;
    }

    /** The standard coding for a local code, when the map has a target for it. */
    public Optional<Coding> translate(String mapName, String sourceCode) {
        TerminologyMap map = map(mapName);
        return map.lookup(sourceCode)
                .filter(entry -> !entry.targetCode().isEmpty())
                .map(entry -> new Coding(map.targetSystem(), entry.targetCode(), emptyToNull(entry.targetDisplay())));
    }

    /**
     * Adds the standard coding to a concept that carries a local one, keeping the local coding.
     * Codings in any system other than the target are tried in order (local codes arrive under each
     * facility's own system); nothing is added when the concept already has a target-system coding
     * or no coding is known. Returns the same, changed, concept.
     */
    public CodeableConcept enrich(CodeableConcept concept, String mapName) {
        TerminologyMap map = map(mapName);
        if (concept == null
                || concept.getCoding().stream().anyMatch(c -> map.targetSystem().equals(c.getSystem()))) {
            return concept;
        }
        for (Coding coding : List.copyOf(concept.getCoding())) {
            Optional<Coding> standard = translate(mapName, coding.getCode());
            if (standard.isPresent()) {
                concept.addCoding(standard.get());
                return concept;
            }
        }
        return concept;
    }

    /** Every map as a FHIR ConceptMap with id = name and url {@code .../ConceptMap/<name>}. */
    public List<ConceptMap> toConceptMaps() {
        List<ConceptMap> result = new ArrayList<>();
        for (TerminologyMap map : maps.values()) {
            ConceptMap conceptMap = new ConceptMap();
            conceptMap.setId(map.name());
            conceptMap.setUrl(NamingSystems.CONCEPT_MAP_BASE + map.name());
            conceptMap.setName(pascalCase(map.name()));
            conceptMap.setTitle(map.title());
            conceptMap.setStatus(PublicationStatus.ACTIVE);
            conceptMap.setPublisher("Sehat Hub");
            conceptMap.setDescription(
                    "Generated from config/terminology/" + map.name() + ".csv; edit the CSV, not this resource.");
            ConceptMapGroupComponent group = conceptMap.addGroup();
            group.setSource(map.sourceSystem());
            group.setTarget(map.targetSystem());
            for (Entry entry : map.entries().values()) {
                SourceElementComponent element = group.addElement();
                element.setCode(entry.sourceCode());
                element.setDisplay(emptyToNull(entry.sourceDisplay()));
                ConceptMap.TargetElementComponent target = element.addTarget();
                target.setEquivalence(entry.equivalence());
                if (!entry.targetCode().isEmpty()) {
                    target.setCode(entry.targetCode());
                    target.setDisplay(emptyToNull(entry.targetDisplay()));
                } else {
                    target.setComment("No standard code: kept as the local code only.");
                }
            }
            result.add(conceptMap);
        }
        return result;
    }

    static String key(String code) {
        return code.strip().replaceAll("\\s+", " ").toUpperCase(Locale.ROOT);
    }

    private static Entry toEntry(CSVRecord record, String fileName) {
        String sourceCode = required(record, "source_code", fileName);
        String targetCode = optional(record, "target_code");
        String equivalenceText = optional(record, "equivalence");
        ConceptMapEquivalence equivalence;
        try {
            equivalence = equivalenceText.isEmpty()
                    ? ConceptMapEquivalence.EQUIVALENT
                    : ConceptMapEquivalence.fromCode(equivalenceText);
        } catch (Exception e) {
            throw new IllegalArgumentException(
                    fileName + " line " + record.getParser().getCurrentLineNumber() + ": equivalence '"
                            + equivalenceText + "' is not a ConceptMap equivalence (equivalent, wider, narrower,"
                            + " inexact, unmatched, ...)",
                    e);
        }
        boolean unmatched = equivalence == ConceptMapEquivalence.UNMATCHED;
        if (targetCode.isEmpty() != unmatched) {
            throw new IllegalArgumentException(
                    fileName + " line " + record.getParser().getCurrentLineNumber()
                            + ": target_code must be empty exactly when equivalence is unmatched");
        }
        return new Entry(
                sourceCode,
                optional(record, "source_display"),
                targetCode,
                optional(record, "target_display"),
                equivalence);
    }

    private static String required(CSVRecord record, String column, String fileName) {
        String value = optional(record, column);
        if (value.isEmpty()) {
            throw new IllegalArgumentException(
                    fileName + " line " + record.getParser().getCurrentLineNumber() + ": " + column + " is empty");
        }
        return value;
    }

    private static String optional(CSVRecord record, String column) {
        if (!record.isMapped(column) || !record.isSet(column)) {
            return "";
        }
        String value = record.get(column);
        return value == null ? "" : value.strip();
    }

    private static List<CSVRecord> readRecords(String fileName, Path dir) {
        try (Reader reader = open(fileName, dir);
                CSVParser parser = CSVParser.parse(reader, FORMAT)) {
            return parser.getRecords();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read terminology table " + fileName, e);
        }
    }

    /** Reads a whole table; the files are small, and a spreadsheet's byte order mark is dropped. */
    private static Reader open(String fileName, Path dir) throws IOException {
        byte[] bytes;
        if (dir != null && Files.isRegularFile(dir.resolve(fileName))) {
            bytes = Files.readAllBytes(dir.resolve(fileName));
        } else {
            try (InputStream in =
                    TerminologyMaps.class.getClassLoader().getResourceAsStream(CLASSPATH_DIR + fileName)) {
                if (in == null) {
                    throw new IOException(
                            "terminology table " + fileName + " is neither in " + dir + " nor on the classpath");
                }
                bytes = in.readAllBytes();
            }
        }
        String text = new String(bytes, StandardCharsets.UTF_8);
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        return new StringReader(text);
    }

    private static String emptyToNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }

    private static String pascalCase(String name) {
        StringBuilder out = new StringBuilder();
        for (String part : name.split("[^A-Za-z0-9]+")) {
            if (!part.isEmpty()) {
                out.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
            }
        }
        return out.toString();
    }
}

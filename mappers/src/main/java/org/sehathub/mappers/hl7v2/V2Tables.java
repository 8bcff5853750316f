package org.sehathub.mappers.hl7v2;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The codes each HL7 table defines, for every table whose code system FHIR R4 validation knows
 * ({@code hl7v2/v2-table-codes.tsv}, extracted from HAPI FHIR's R4 validation resources). A value a
 * table does not define is never put into its system: it stays in the facility's local system (or
 * as text), so that a stored resource never claims a code the system does not have and every
 * stored resource passes {@code $validate}.
 */
final class V2Tables {

    static final String PREFIX = "http://terminology.hl7.org/CodeSystem/v2-";
    static final String RELATIONSHIP = PREFIX + "0063";
    static final String CONTACT_ROLE = PREFIX + "0131";
    static final String DIAGNOSTIC_SECTION = PREFIX + "0074";
    static final String DOCUMENT_TYPE = PREFIX + "0270";
    static final String IDENTIFIER_TYPE = PREFIX + "0203";

    private static final Map<String, Set<String>> CODES = load();

    private V2Tables() {}

    /** True when {@code system} is a table we know and it defines {@code code}. */
    static boolean defines(String system, String code) {
        Set<String> codes = CODES.get(system);
        return codes != null && code != null && codes.contains(code);
    }

    /** True when we know the codes of {@code system}: a code outside them must not be written there. */
    static boolean isKnown(String system) {
        return CODES.containsKey(system);
    }

    /** Table codes are upper case; senders write {@code spo} too. */
    static String canonical(String code) {
        return code == null ? null : code.strip().toUpperCase(Locale.ROOT);
    }

    private static Map<String, Set<String>> load() {
        Map<String, Set<String>> tables = new HashMap<>();
        try (InputStream in = V2Tables.class.getResourceAsStream("/hl7v2/v2-table-codes.tsv")) {
            if (in == null) {
                throw new IllegalStateException("hl7v2/v2-table-codes.tsv is missing from the classpath");
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    String[] fields = line.split("\t");
                    tables.put(
                            PREFIX + fields[0], Set.copyOf(Arrays.asList(fields).subList(1, fields.length)));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.copyOf(tables);
    }
}

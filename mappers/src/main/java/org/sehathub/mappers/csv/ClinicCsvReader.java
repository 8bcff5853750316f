package org.sehathub.mappers.csv;

import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.sehathub.mappers.MappingException;
import org.sehathub.mappers.MappingIssue;

/**
 * Reads a clinic CSV the way spreadsheets write it: optional byte order mark, CRLF or LF, quoted
 * cells with commas or line breaks, blank lines and rows of empty cells (skipped, not counted).
 * Binds cells to header names, matched ignoring case, with every run of spaces and punctuation
 * counted as one underscore ({@code Date of Birth} is {@code date_of_birth}), and the common
 * aliases clinics write ({@code DOB}, {@code Patient Name}, {@code S/O}: {@link CsvLayout}).
 */
final class ClinicCsvReader {

    private static final CSVFormat FORMAT =
            CSVFormat.RFC4180.builder().setIgnoreEmptyLines(true).setTrim(false).build();

    /** The rows of a file and the issues found in its header. */
    record Contents(List<CsvRow> rows, List<MappingIssue> headerIssues) {}

    private ClinicCsvReader() {}

    /**
     * Splits the text into rows bound to the layout's columns.
     *
     * @throws MappingException when there is no header, a header name repeats, or a required column
     *     is missing: then no row can be read
     */
    static Contents read(String text, CsvLayout layout) {
        String content = text.startsWith("\uFEFF") ? text.substring(1) : text;
        LineIndex lines = new LineIndex(content);
        List<CSVRecord> records;
        try (CSVParser parser = CSVParser.parse(new StringReader(content), FORMAT)) {
            records = parser.getRecords();
        } catch (IOException | RuntimeException e) {
            // commons-csv reports an unterminated quote as an UncheckedIOException.
            throw new MappingException("file", "the file is not valid CSV: " + rootMessage(e), e);
        }
        if (records.isEmpty()) {
            throw new MappingException("line 1", "the file is empty; the first line must be the header");
        }

        CSVRecord headerRecord = records.get(0);
        List<String> header = new ArrayList<>();
        Map<String, Integer> firstSeen = new HashMap<>();
        List<MappingIssue> headerIssues = new ArrayList<>();
        List<MappingIssue> fatal = new ArrayList<>();
        for (int i = 0; i < headerRecord.size(); i++) {
            String name = CsvLayout.canonicalName(normalizeHeader(headerRecord.get(i)));
            header.add(name);
            if (name.isEmpty()) {
                continue;
            }
            if (firstSeen.putIfAbsent(name, i) != null) {
                fatal.add(MappingIssue.atCell(
                        MappingIssue.Severity.ERROR, 1, name, "the column appears twice in the header"));
            } else if (layout.column(name).isEmpty()) {
                headerIssues.add(MappingIssue.atCell(
                        MappingIssue.Severity.WARNING,
                        1,
                        name,
                        "the " + layout.urlName() + " layout has no such column; its cells are ignored"));
            }
        }
        for (CsvColumn column : layout.columns()) {
            if (column.required() && !firstSeen.containsKey(column.name())) {
                fatal.add(MappingIssue.atCell(
                        MappingIssue.Severity.ERROR, 1, column.name(), "required column is missing from the header"));
            }
        }
        if (!fatal.isEmpty()) {
            throw new MappingException(fatal);
        }

        List<CsvRow> rows = new ArrayList<>();
        for (CSVRecord record : records.subList(1, records.size())) {
            int line = lines.lineOf(record.getCharacterPosition());
            Map<String, String> cells = new LinkedHashMap<>();
            for (int i = 0; i < Math.min(record.size(), header.size()); i++) {
                String name = header.get(i);
                if (!name.isEmpty() && layout.column(name).isPresent()) {
                    cells.put(name, record.get(i));
                }
            }
            CsvRow row = new CsvRow(line, cells);
            boolean extraCells = record.size() > header.size()
                    && Arrays.stream(record.values()).skip(header.size()).anyMatch(v -> !v.isBlank());
            if (row.isBlank() && !extraCells) {
                continue;
            }
            if (extraCells) {
                headerIssues.add(MappingIssue.atCell(
                        MappingIssue.Severity.WARNING,
                        line,
                        null,
                        "the row has " + record.size() + " cells but the header only " + header.size()
                                + "; the extra cells are ignored"));
            }
            rows.add(row);
        }
        return new Contents(rows, headerIssues);
    }

    /** Lower case; every run of characters other than letters and digits is one underscore. */
    static String normalizeHeader(String raw) {
        return raw.strip()
                .toLowerCase(Locale.ROOT)
                .replaceAll("[^\\p{L}\\p{N}]+", "_")
                .replaceAll("^_+|_+$", "");
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage();
    }

    /** Turns character offsets into 1-based line numbers (LF, CRLF or a lone CR end a line). */
    private static final class LineIndex {
        private final int[] lineStarts;

        LineIndex(String text) {
            this.text = text;
            List<Integer> starts = new ArrayList<>();
            starts.add(0);
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (c == '\n' || (c == '\r' && (i + 1 == text.length() || text.charAt(i + 1) != '\n'))) {
                    starts.add(i + 1);
                }
            }
            lineStarts = starts.stream().mapToInt(Integer::intValue).toArray();
        }

        private final String text;

        /**
         * The line a record starts on. The parser reports the position before the blank lines it
         * skipped, so line breaks at that position are stepped over first.
         */
        int lineOf(long position) {
            int offset = (int) position;
            while (offset < text.length() && (text.charAt(offset) == '\r' || text.charAt(offset) == '\n')) {
                offset++;
            }
            int index = Arrays.binarySearch(lineStarts, offset);
            return (index >= 0 ? index : -index - 2) + 1;
        }
    }
}

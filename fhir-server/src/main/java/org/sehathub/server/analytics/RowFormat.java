package org.sehathub.server.analytics;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * The output formats of {@code $viewdefinition-run}: NDJSON (one JSON object per row, the
 * default), a JSON array, or CSV (RFC 4180; a collection column as its JSON array). {@link #writer}
 * streams rows as they come.
 */
enum RowFormat {
    NDJSON("application/x-ndjson"),
    JSON("application/json"),
    CSV("text/csv");

    private static final ObjectMapper MAPPER = new ObjectMapper();

    final String mediaType;

    RowFormat(String mediaType) {
        this.mediaType = mediaType;
    }

    /** {@code _format}: a name (ndjson, json, csv) or a media type; none is NDJSON. */
    static RowFormat of(String format) {
        if (format == null || format.isBlank()) {
            return NDJSON;
        }
        String f = format.trim().toLowerCase(Locale.ROOT);
        for (RowFormat candidate : values()) {
            if (f.equals(candidate.name().toLowerCase(Locale.ROOT)) || f.startsWith(candidate.mediaType)) {
                return candidate;
            }
        }
        if (f.equals("application/ndjson")) {
            return NDJSON;
        }
        throw new ViewRunRequest.BadRequest("_format must be ndjson, json or csv, not " + format);
    }

    /** Writes rows of these columns to the stream. */
    interface RowWriter extends AutoCloseable {
        void write(List<Object> row) throws IOException;

        @Override
        void close() throws IOException;
    }

    RowWriter writer(List<String> columns, boolean header, OutputStream out) throws IOException {
        return switch (this) {
            case NDJSON -> new JsonRows(columns, out, false);
            case JSON -> new JsonRows(columns, out, true);
            case CSV -> new CsvRows(columns, header, out);
        };
    }

    private static final class JsonRows implements RowWriter {
        private final List<String> columns;
        private final JsonGenerator json;
        private final boolean array;

        JsonRows(List<String> columns, OutputStream out, boolean array) throws IOException {
            this.columns = columns;
            this.array = array;
            this.json = MAPPER.getFactory().createGenerator(out);
            if (array) {
                json.writeStartArray();
            } else {
                json.setRootValueSeparator(null);
            }
        }

        @Override
        public void write(List<Object> row) throws IOException {
            json.writeStartObject();
            for (int i = 0; i < columns.size(); i++) {
                json.writeFieldName(columns.get(i));
                MAPPER.writeValue(json, row.get(i));
            }
            json.writeEndObject();
            if (!array) {
                json.writeRaw('\n');
            }
        }

        @Override
        public void close() throws IOException {
            if (array) {
                json.writeEndArray();
            }
            json.close();
        }
    }

    private static final class CsvRows implements RowWriter {
        private final PrintWriter out;

        CsvRows(List<String> columns, boolean header, OutputStream stream) throws IOException {
            Writer writer = new OutputStreamWriter(stream, StandardCharsets.UTF_8);
            this.out = new PrintWriter(new BufferedWriter(writer));
            if (header) {
                line(List.copyOf(columns));
            }
        }

        @Override
        public void write(List<Object> row) throws IOException {
            line(row);
        }

        private void line(List<?> values) throws IOException {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < values.size(); i++) {
                if (i > 0) {
                    line.append(',');
                }
                Object value = values.get(i);
                if (value != null) {
                    line.append(quote(value instanceof List<?> ? MAPPER.writeValueAsString(value) : value.toString()));
                }
            }
            out.print(line);
            out.print("\r\n");
        }

        private static String quote(String value) {
            if (value.indexOf(',') < 0
                    && value.indexOf('"') < 0
                    && value.indexOf('\n') < 0
                    && value.indexOf('\r') < 0) {
                return value;
            }
            return '"' + value.replace("\"", "\"\"") + '"';
        }

        @Override
        public void close() {
            out.flush();
        }
    }
}

package org.sehathub.mappers.csv;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.Bundle;
import org.sehathub.mappers.MappingException;
import org.sehathub.mappers.MappingIssue;
import org.sehathub.mappers.SourceInfo;
import org.sehathub.mappers.terminology.TerminologyMaps;

/**
 * Maps a clinic's CSV export (one of the {@link CsvLayout}s) to a FHIR transaction Bundle.
 *
 * <p>Each row is mapped on its own: a bad row is reported with its line, column and reason and
 * left out, and the good rows of the same file are still mapped. Writes are idempotent (patients
 * by conditional create/update on CNIC or MRN, clinical records by ids derived from the clinic and
 * the row's business key), so uploading a corrected file again updates rather than duplicates.
 * Cells that a spreadsheet would run as a formula are refused (see {@link FormulaInjectionGuard}).
 * The Bundle ends with a Provenance naming the source system, the clinic and the upload.
 *
 * <p>File-level problems that leave no row readable (not UTF-8, not CSV, no header, a required
 * column missing, a column twice) raise a {@link MappingException}.
 */
public final class ClinicCsvMapper {

    private final TerminologyMaps terminology;
    private final Clock clock;

    public ClinicCsvMapper(TerminologyMaps terminology) {
        this(terminology, Clock.systemUTC());
    }

    /** With a clock, so that "birth date in the future" is testable. */
    public ClinicCsvMapper(TerminologyMaps terminology, Clock clock) {
        this.terminology = terminology;
        this.clock = clock;
    }

    /**
     * Maps a file given as bytes, which must be UTF-8 (with or without byte order mark).
     *
     * @param source who uploaded it; {@code facility} is required (MRNs are scoped to it); without a
     *     {@code messageId} the upload is identified by the SHA-256 of its content
     */
    public CsvMappingResult map(CsvLayout layout, InputStream in, SourceInfo source) {
        byte[] bytes;
        try {
            bytes = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the CSV upload", e);
        }
        String text;
        try {
            text = StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new MappingException(
                    "file", "the file is not UTF-8 text; in Excel choose Save As > 'CSV UTF-8 (Comma delimited)'", e);
        }
        return map(layout, text, source);
    }

    /** Maps a file given as characters. */
    public CsvMappingResult map(CsvLayout layout, Reader in, SourceInfo source) {
        StringBuilder text = new StringBuilder();
        char[] buffer = new char[8192];
        try {
            for (int n; (n = in.read(buffer)) != -1; ) {
                text.append(buffer, 0, n);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the CSV upload", e);
        }
        return map(layout, text.toString(), source);
    }

    private CsvMappingResult map(CsvLayout layout, String text, SourceInfo source) {
        if (source.facility() == null || source.facility().isBlank()) {
            throw new MappingException("source", "the uploading facility is required: MRNs are scoped to it");
        }
        SourceInfo identified = source.messageId() != null ? source : source.withMessageId(contentId(layout, text));
        ClinicCsvReader.Contents contents = ClinicCsvReader.read(text, layout);
        ClinicContext context = new ClinicContext(identified, terminology, clock);
        CsvRowMapper rowMapper = ROW_MAPPERS.get(layout);

        List<MappingIssue> issues = new ArrayList<>(contents.headerIssues());
        int mapped = 0;
        for (CsvRow row : contents.rows()) {
            CsvRowReader reader = new CsvRowReader(row, layout);
            boolean ok = !reader.hasErrors() && rowMapper.map(reader, context);
            if (ok) {
                mapped++;
            }
            issues.addAll(reader.issues());
        }
        if (mapped > 0) {
            context.builder.provenance(identified, context.builder.fullUrls());
        }
        Bundle bundle = context.builder.build();
        int read = contents.rows().size();
        return new CsvMappingResult(bundle, issues, read, mapped, read - mapped);
    }

    private static final Map<CsvLayout, CsvRowMapper> ROW_MAPPERS = Map.of(
            CsvLayout.PATIENTS, new PatientRowMapper(),
            CsvLayout.VISITS, new VisitRowMapper(),
            CsvLayout.LAB_RESULTS, new LabResultRowMapper(),
            CsvLayout.IMMUNIZATIONS, new ImmunizationRowMapper());

    /** {@code csv-<layout>-<first 16 hex digits of SHA-256(content)>}: the same file, the same id. */
    private static String contentId(CsvLayout layout, String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return "csv-" + layout.urlName() + "-"
                    + HexFormat.of().formatHex(digest).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }
}

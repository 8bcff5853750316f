package org.sehathub.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.sehathub.ingest.support.RecordingBundleSink;

/** The watched CSV folders, with real files. */
class CsvInboxTest extends IngestRoutesTestSupport {

    private static final String HEADER = "mrn,given_name,family_name,sex,date_of_birth\n";

    private static Path patients() throws IOException {
        return Files.createDirectories(INBOX.resolve("patients"));
    }

    @Test
    void aCompleteFileIsStoredAndMovedToDone() throws Exception {
        Path file = patients().resolve("bhu-chak-12__march.csv");
        Files.writeString(file, HEADER + "C12-1,Ali,Raza,M,12/05/1978\nC12-2,Sana,Khan,F,1990-01-02\n");
        Path done = patients().resolve("done").resolve("bhu-chak-12__march.csv");
        await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(done));
        assertThat(file).doesNotExist();
        assertThat(sink.stored()).singleElement().satisfies(s -> {
            assertThat(s.receipt().sender()).isEqualTo("bhu-chak-12");
            assertThat(s.receipt().messageId()).startsWith("csv-patients-");
        });
        assertThat(patients().resolve("done").resolve("bhu-chak-12__march.csv.report.json"))
                .doesNotExist();
        assertThat(deadLetters.all()).isEmpty();
    }

    @Test
    void aFileStillBeingWrittenIsNotReadUntilItIsComplete() throws Exception {
        Path file = patients().resolve("bhu-chak-13__growing.csv");
        int rows = 8;
        AtomicInteger written = new AtomicInteger();
        try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.CREATE_NEW)) {
            out.write(HEADER.getBytes(StandardCharsets.UTF_8));
            out.flush();
            // One row every 300 ms: always sooner than the 700 ms the file must stay unchanged.
            await().pollInterval(Duration.ofMillis(300))
                    .atMost(Duration.ofSeconds(20))
                    .until(() -> {
                        int n = written.incrementAndGet();
                        out.write(("C13-" + n + ",Ali,Raza,M,12/05/1978\n").getBytes(StandardCharsets.UTF_8));
                        out.flush();
                        assertThat(sink.stored())
                                .as("nothing read while the file grows")
                                .isEmpty();
                        return n == rows;
                    });
        }
        Path done = patients().resolve("done").resolve("bhu-chak-13__growing.csv");
        await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(done));
        assertThat(sink.stored())
                .singleElement()
                .satisfies(s -> assertThat(s.bundle().getEntry())
                        .as("every row of the complete file")
                        .hasSizeGreaterThanOrEqualTo(rows));
        assertThat(Files.readString(done)).hasLineCount(rows + 1);
    }

    @Test
    void aFileWithBadRowsGoesToFailedWithItsReport() throws Exception {
        Path file = patients().resolve("bhu-chak-14__bad.csv");
        Files.writeString(file, HEADER + "C14-1,Ali,Raza,M,12/05/1978\nC14-2,Sana,Khan,F,30/02/1990\n");
        Path failed = patients().resolve("failed").resolve("bhu-chak-14__bad.csv");
        Path report = patients().resolve("failed").resolve("bhu-chak-14__bad.csv.report.json");
        await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(report));
        assertThat(failed).exists();
        JsonNode json = new ObjectMapper().readTree(report.toFile());
        assertThat(json.path("rowsStored").asInt()).isEqualTo(1);
        assertThat(json.path("rowsRejected").asInt()).isEqualTo(1);
        assertThat(json.path("rejected").get(0).path("line").asInt()).isEqualTo(3);
        assertThat(sink.stored()).hasSize(1);
        assertThat(deadLetters.all())
                .singleElement()
                .satisfies(d -> assertThat(d.transport()).isEqualTo("file"));
    }

    @Test
    void aFileWithMoreRowsThanAllowedGoesToFailedWholeAndNothingIsStored() throws Exception {
        StringBuilder csv = new StringBuilder(HEADER);
        for (int i = 1; i <= MAX_CSV_ROWS + 1; i++) {
            csv.append("C16-").append(i).append(",Ali,Raza,M,12/05/1978\n");
        }
        Files.writeString(patients().resolve("bhu-chak-16__big.csv"), csv);
        Path failed = patients().resolve("failed").resolve("bhu-chak-16__big.csv");
        Path report = patients().resolve("failed").resolve("bhu-chak-16__big.csv.report.json");
        await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(report));

        assertThat(Files.readString(failed)).as("the file is kept whole").isEqualTo(csv.toString());
        JsonNode json = new ObjectMapper().readTree(report.toFile());
        assertThat(json.path("status").asInt()).isEqualTo(413);
        assertThat(json.toString()).contains("sehat.ingest.csv.max-rows");
        assertThat(sink.stored()).isEmpty();
        assertThat(deadLetters.all()).isEmpty();
    }

    @Test
    void aFileOverTheSizeLimitGoesToFailedWholeWithoutBeingRead() throws Exception {
        String row = "C17-1,Ali,Raza,M,12/05/1978," + "x".repeat(100) + "\n";
        String csv = HEADER + row.repeat(70 * 1024 / row.length());
        Files.writeString(patients().resolve("bhu-chak-17__huge.csv"), csv);
        Path failed = patients().resolve("failed").resolve("bhu-chak-17__huge.csv");
        Path report = patients().resolve("failed").resolve("bhu-chak-17__huge.csv.report.json");
        await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(report));

        assertThat(Files.readString(failed)).isEqualTo(csv);
        assertThat(new ObjectMapper().readTree(report.toFile()).path("status").asInt())
                .isEqualTo(413);
        assertThat(sink.stored()).isEmpty();
        assertThat(deadLetters.all()).isEmpty();
    }

    @Test
    void aFileWithoutTheClinicInItsNameGoesToFailed() throws Exception {
        Files.writeString(patients().resolve("march.csv"), HEADER + "X-1,Ali,Raza,M,12/05/1978\n");
        Path report = patients().resolve("failed").resolve("march.csv.report.json");
        await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(report));
        assertThat(Files.readString(report)).contains("two underscores");
        assertThat(sink.stored()).isEmpty();
    }

    @Test
    void aFileThatCannotBeStoredNowStaysInTheInboxUntilTheDatabaseIsBack() throws Exception {
        sink.mode(RecordingBundleSink.Mode.UNAVAILABLE);
        Path file = patients().resolve("bhu-chak-15__later.csv");
        Files.writeString(file, HEADER + "C15-1,Ali,Raza,M,12/05/1978\n");
        await().atMost(Duration.ofSeconds(20)).until(() -> sink.calls().size() >= 2);
        assertThat(file).as("left in place for the next poll").exists();
        assertThat(deadLetters.all()).as("the file is its own copy").isEmpty();
        sink.mode(RecordingBundleSink.Mode.NORMAL);
        await().atMost(Duration.ofSeconds(20))
                .until(() -> Files.exists(patients().resolve("done").resolve("bhu-chak-15__later.csv")));
        assertThat(sink.stored()).hasSize(1);
    }
}

package org.sehathub.mappers.hl7v2;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** FHS/BHS batches split into their messages, each with its own bytes. */
class Hl7v2BatchTest {

    private static final String A =
            "MSH|^~\\&|HIS|Mayo|HUB|HUB|20240315||ADT^A04|M-1|P|2.5\rPID|1||MR-1^^^Mayo^MR||Raza^Ali\r";
    private static final String B =
            "MSH|^~\\&|HIS|Mayo|HUB|HUB|20240315||ADT^A04|M-2|P|2.5\rPID|1||MR-2^^^Mayo^MR||Khan^Bilal\r";

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aFileOfOneBatchIsSplitIntoItsMessagesAndItsHeadersKept() {
        String file = "FHS|^~\\&|HIS|Mayo|||20240315||f1.hl7||F-77\rBHS|^~\\&|HIS|Mayo|||20240315||||B-77\r" + A + B
                + "BTS|2\rFTS|1\r";
        Hl7v2Batch batch = Hl7v2Batch.split(bytes(file));
        assertThat(batch.messages())
                .extracting(m -> new String(m, StandardCharsets.UTF_8))
                .containsExactly(A, B);
        assertThat(Hl7v2Batch.field(batch.fileHeader(), 11)).as("FHS-11").isEqualTo("F-77");
        assertThat(Hl7v2Batch.field(batch.batchHeader(), 3)).as("BHS-3").isEqualTo("HIS");
        assertThat(Hl7v2Batch.field(batch.batchHeader(), 11)).as("BHS-11").isEqualTo("B-77");
        assertThat(batch.problems()).isEmpty();
    }

    @Test
    void lineFeedsAndABomAreSegmentEndsAndMessagesKeepTheirOwnBytes() {
        String urdu =
                "MSH|^~\\&|HIS|Mayo|HUB|HUB|20240315||ADT^A04|M-3|P|2.5|||||||UNICODE UTF-8\nPID|1||MR-3^^^Mayo^MR||عائشہ^بی بی\n";
        byte[] payload = bytes("\uFEFFBHS|^~\\&|HIS|Mayo\r\n" + urdu + "BTS|1\r\n");
        Hl7v2Batch batch = Hl7v2Batch.split(payload);
        assertThat(Hl7v2Batch.isBatch(payload)).isTrue();
        assertThat(batch.messages())
                .singleElement()
                .satisfies(
                        m -> assertThat(new String(m, StandardCharsets.UTF_8)).isEqualTo(urdu.replace('\n', '\r')));
    }

    @Test
    void aTrailerCountThatDiffersIsReportedAndTheMessagesAreStillThere() {
        Hl7v2Batch batch = Hl7v2Batch.split(bytes("BHS|^~\\&|HIS|Mayo\r" + A + B + "BTS|3\r"));
        assertThat(batch.messages()).hasSize(2);
        assertThat(batch.problems()).containsExactly("BTS-1 says 3 message(s); 2 found");
    }

    @Test
    void aBatchWithoutTrailerOrWithSegmentsBeforeItsFirstMshIsReported() {
        Hl7v2Batch batch = Hl7v2Batch.split(bytes("BHS|^~\\&|HIS|Mayo\rPID|1||stray\r" + A));
        assertThat(batch.messages()).hasSize(1);
        assertThat(batch.problems())
                .containsExactly(
                        "1 segment(s) outside any message (before its MSH) were ignored", "no BTS batch trailer");
    }

    @Test
    void aSingleMessageIsNotABatch() {
        assertThat(Hl7v2Batch.isBatch(bytes(A))).isFalse();
        assertThat(Hl7v2Batch.isBatch(bytes("\u000b" + "FHS|^~\\&"))).isTrue();
    }

    @Test
    void anEmptyBatchHasNoMessages() {
        Hl7v2Batch batch = Hl7v2Batch.split(bytes("BHS|^~\\&|HIS|Mayo\rBTS|0\r"));
        assertThat(batch.messages()).isEmpty();
        assertThat(batch.problems()).isEmpty();
    }
}

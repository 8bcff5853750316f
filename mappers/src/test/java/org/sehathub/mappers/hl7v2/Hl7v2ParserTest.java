package org.sehathub.mappers.hl7v2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.hl7v2.model.Segment;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sehathub.mappers.MappingException;

class Hl7v2ParserTest {

    private final Hl7v2Parser parser = new Hl7v2Parser();

    private static String adt(String version) {
        return "MSH|^~\\&|MAYO-HIS|MAYO|SEHATHUB|HUB|20240315103000||ADT^A01|MSG0001|P|" + version + "\r"
                + "EVN|A01|20240315103000\r"
                + "PID|1||MR-448812^^^MAYO^MR||Raza^Ali^Hassan||19800115|M\r"
                + "PV1|1|I|MED-W5^R2^B7\r";
    }

    @ParameterizedTest
    @ValueSource(strings = {"2.3", "2.3.1", "2.4", "2.5", "2.5.1", "2.6", "2.7", "2.8"})
    void parsesEveryMsh12VersionIntoV28Structures(String version) throws Exception {
        ParsedHl7 parsed = parser.parse(adt(version));

        assertThat(parsed.version()).as("MSH-12").isEqualTo(version);
        assertThat(parsed.message().getClass().getName()).isEqualTo("ca.uhn.hl7v2.model.v28.message.ADT_A01");
        assertThat(parsed.messageType()).as("MSH-9").isEqualTo("ADT^A01");
        assertThat(parsed.controlId()).as("MSH-10").isEqualTo("MSG0001");
        assertThat(parsed.sendingApplication()).as("MSH-3").isEqualTo("MAYO-HIS");
        assertThat(parsed.sendingFacility()).as("MSH-4").isEqualTo("MAYO");
        Segment pid = segment(parsed, "PID");
        assertThat(V2.component(pid, 5, 1, 2)).as("PID-5.2").isEqualTo("Ali");
    }

    @Test
    void parsesObx2CeOfVersion23AsCwe() {
        ParsedHl7 parsed = parser.parse("MSH|^~\\&|LIS|AKUH|SEHATHUB|HUB|20240315103000||ORU^R01|L1|P|2.3\r"
                + "PID|1||K-1^^^AKUH^MR||Ahmed^Sana||19900101|F\r"
                + "OBR|1|P1|F1|MAL^Malaria RDT^L\r"
                + "OBX|1|CE|MALRDT^Malaria RDT^L||NEG^Negative^L||||||F\r");

        Segment obx = segment(parsed, "OBX");
        assertThat(V2.component(V2.first(obx, 5), 1)).as("OBX-5.1").isEqualTo("NEG");
        assertThat(V2.component(V2.first(obx, 5), 2)).as("OBX-5.2").isEqualTo("Negative");
    }

    @Test
    void acceptsLineFeedAndCrLfSegmentSeparators() {
        String crlf = adt("2.5").replace("\r", "\r\n");
        String lf = adt("2.5").replace("\r", "\n") + "\n\n";

        assertThat(SegmentRef.flatten(parser.parse(crlf).message()))
                .extracting(SegmentRef::name)
                .containsExactly("MSH", "EVN", "PID", "PV1");
        assertThat(SegmentRef.flatten(parser.parse(lf).message()))
                .extracting(SegmentRef::name)
                .containsExactly("MSH", "EVN", "PID", "PV1");
        assertThat(V2.field(segment(parser.parse(lf), "PV1"), 2))
                .as("PV1-2 without a trailing line feed")
                .isEqualTo("I");
    }

    @Test
    void decodesDelimiterEscapesInPid5() {
        ParsedHl7 parsed =
                parser.parse(adt("2.5").replace("Raza^Ali^Hassan", "Raza\\T\\Sons^Ali\\F\\X\\S\\Y\\R\\\\E\\"));
        Segment pid = segment(parsed, "PID");
        assertThat(V2.component(pid, 5, 1, 1)).as("PID-5.1").isEqualTo("Raza&Sons");
        assertThat(V2.component(pid, 5, 1, 2)).as("PID-5.2").isEqualTo("Ali|X^Y~\\");
    }

    @Test
    void decodesLineBreakAndHighlightFormattingInObx5() {
        ParsedHl7 parsed = parser.parse("MSH|^~\\&|LIS|AKUH|SEHATHUB|HUB|20240315103000||ORU^R01|L1|P|2.5\r"
                + "PID|1||K-1^^^AKUH^MR||Ahmed^Sana||19900101|F\r"
                + "OBR|1|P1|F1|X^Y^L\r"
                + "OBX|1|TX|NOTE^Note^L||Line one\\.br\\\\H\\Line two\\N\\\\.sp2\\end||||||F\r");
        assertThat(V2.field(segment(parsed, "OBX"), 5)).as("OBX-5").isEqualTo("Line one\nLine two\n\nend");
    }

    @Test
    void decodesHexEscapeInTheMsh18CharsetAndKeepsAnEscapedLiteral() {
        // "علی" in UTF-8 is D8 B9 D9 84 DB 8C; \E\X41\E\ is the literal text \X41\, not "A".
        ParsedHl7 parsed = parser.parse(
                "MSH|^~\\&|MAYO-HIS|MAYO|SEHATHUB|HUB|20240315103000||ADT^A01|M2|P|2.5||||||UNICODE UTF-8\r"
                        + "PID|1||MR-1^^^MAYO^MR||\\XD8B9D984DB8C\\^\\E\\X41\\E\\||19800115|M\r");
        Segment pid = segment(parsed, "PID");
        assertThat(V2.component(pid, 5, 1, 1)).as("PID-5.1").isEqualTo("علی");
        assertThat(V2.component(pid, 5, 1, 2)).as("PID-5.2").isEqualTo("\\X41\\");
    }

    @Test
    void answersAMessageDeclaredUnicodeInUtf8() {
        ParsedHl7 parsed =
                parser.parse("MSH|^~\\&|MAYO-HIS|MAYO|SEHATHUB|HUB|20240315103000||ADT^A01|M3|P|2.5||||||UNICODE\r"
                        + "PID|1||MR-1^^^MAYO^MR||\\XD8B9D984DB8C\\||19800115|M\r");
        assertThat(parsed.charset()).isEqualTo(java.nio.charset.StandardCharsets.UTF_8);
        assertThat(V2.component(segment(parsed, "PID"), 5, 1, 1)).isEqualTo("علی");
    }

    @Test
    void decodesHexEscapeAsLatin1WhenMsh18Says8859_1() {
        ParsedHl7 parsed =
                parser.parse("MSH|^~\\&|MAYO-HIS|MAYO|SEHATHUB|HUB|20240315103000||ADT^A01|M2|P|2.5||||||8859/1\r"
                        + "PID|1||MR-1^^^MAYO^MR||Caf\\XE9\\^Ali||19800115|M\r");
        assertThat(V2.component(segment(parsed, "PID"), 5, 1, 1)).isEqualTo("Café");
        assertThat(parsed.charset()).isEqualTo(StandardCharsets.ISO_8859_1);
    }

    @Test
    void refusesAnUnsupportedMsh12Version() {
        assertThatThrownBy(() -> parser.parse(adt("2.9")))
                .isInstanceOf(MappingException.class)
                .hasMessageStartingWith("MSH-12: version '2.9' is not supported");
    }

    @Test
    void parsesVersions21And22() {
        // 2.2 names the event in MSH-9 as later versions do; 2.1 only in EVN-1.
        assertThat(parser.parse(adt("2.2")).triggerEvent()).isEqualTo("A01");
        ParsedHl7 old = parser.parse(adt("2.1").replace("|ADT^A01|", "|ADT|"));
        assertThat(old.messageCode()).isEqualTo("ADT");
        assertThat(old.triggerEvent()).isEqualTo("A01");
        assertThat(V2.component(segment(old, "PID"), 5, 1, 1)).isEqualTo("Raza");
        ParsedHl7 result = parser.parse("MSH|^~\\&|LAB|MAYO|HUB|HUB|20240315103000||ORU|M9|P|2.1\r"
                + "PID|1||MR-1||Raza^Ali||19800115|M\r"
                + "OBR|1|P1|F1|718-7^Hemoglobin^LN\r"
                + "OBX|1|NM|718-7^Hemoglobin^LN||12.4|g/dL||||F\r");
        assertThat(result.triggerEvent()).isEqualTo("R01");
    }

    @Test
    void refusesAnUnknownMsh18Charset() {
        String msg = adt("2.5").replaceFirst("\\|2\\.5\r", "|2.5||||||KLINGON\r");
        assertThatThrownBy(() -> parser.parse(msg))
                .isInstanceOf(MappingException.class)
                .hasMessage("MSH-18: character set 'KLINGON' is not supported");
    }

    @Test
    void refusesTextThatIsNotAnHl7Message() {
        assertThatThrownBy(() -> parser.parse("PID|1||X\r"))
                .isInstanceOf(MappingException.class)
                .hasMessage("MSH: the message does not start with an MSH segment");
    }

    @Test
    void refusesAMessageWithoutMsh10() {
        assertThatThrownBy(() -> parser.parse(adt("2.5").replace("|MSG0001|", "||")))
                .isInstanceOf(MappingException.class)
                .hasMessageStartingWith("MSH-10: message control id is empty");
    }

    @Test
    void labelsRepeatedSegmentsWithTheirOccurrence() {
        ParsedHl7 parsed = parser.parse("MSH|^~\\&|LIS|AKUH|SEHATHUB|HUB|20240315103000||ORU^R01|L1|P|2.5\r"
                + "PID|1||K-1^^^AKUH^MR||Ahmed^Sana||19900101|F\r"
                + "OBR|1|P1|F1|X^Y^L\r"
                + "OBX|1|NM|A^A^L||1||||||F\r"
                + "OBX|2|NM|B^B^L||2||||||F\r"
                + "ZLB|1|extra\r");
        List<SegmentRef> refs = SegmentRef.flatten(parsed.message());
        assertThat(refs)
                .extracting(SegmentRef::label)
                .containsExactly("MSH", "PID", "OBR[1]", "OBX[1]", "OBX[2]", "ZLB[1]");
        assertThat(refs.get(4).at(5)).isEqualTo("OBX[2]-5");
    }

    private static Segment segment(ParsedHl7 parsed, String name) {
        return SegmentRef.flatten(parsed.message()).stream()
                .filter(r -> r.name().equals(name))
                .findFirst()
                .orElseThrow()
                .segment();
    }
}

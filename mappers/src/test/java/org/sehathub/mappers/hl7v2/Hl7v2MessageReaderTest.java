package org.sehathub.mappers.hl7v2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;
import org.sehathub.mappers.MappingException;

class Hl7v2MessageReaderTest {

    private final Hl7v2MessageReader reader = new Hl7v2MessageReader();

    private static String adt(String msh18, String name) {
        return "MSH|^~\\&|MAYO-HIS|Mayo Hospital Lahore|SEHATHUB|SEHATHUB|20240315103000||ADT^A04|M1|P|2.5||||||"
                + msh18 + "\rPID|1||MR-1^^^Mayo Hospital Lahore^MR||" + name + "||19850412|M\rPV1|1|O\r";
    }

    @Test
    void decodesUtf8UrduPid5WhenMsh18SaysUnicodeUtf8() {
        byte[] bytes = adt("UNICODE UTF-8", "علی^محمد").getBytes(StandardCharsets.UTF_8);

        Patient patient = Hl7TestMessages.only(Hl7TestMessages.MAPPER.map(bytes), Patient.class);

        assertThat(patient.getNameFirstRep().getFamily()).as("PID-5.1").isEqualTo("علی");
        assertThat(patient.getNameFirstRep().getGivenAsSingleString())
                .as("PID-5.2")
                .isEqualTo("محمد");
    }

    @Test
    void readsSingleByteTextAsUtf8WhenMsh18SaysUnicodeOrUtf16() {
        // Table 0211 says UNICODE is UTF-16; senders in the wild write it over UTF-8 bytes.
        for (String declared : new String[] {"UNICODE", "UNICODE UTF-16", "unicode utf-32"}) {
            byte[] bytes = adt(declared, "علی^محمد").getBytes(StandardCharsets.UTF_8);
            assertThat(new Hl7v2MessageReader().read(bytes))
                    .as(declared)
                    .startsWith("MSH|")
                    .contains("علی^محمد");
        }
    }

    @Test
    void decodesRealUtf16WithItsByteOrderMark() {
        byte[] bytes = adt("UNICODE", "علی^محمد").getBytes(StandardCharsets.UTF_16);
        assertThat(new Hl7v2MessageReader().read(bytes)).startsWith("MSH|").contains("علی^محمد");
    }

    @Test
    void decodesUtf8WhenMsh18IsEmpty() {
        byte[] bytes = adt("", "علی^محمد").getBytes(StandardCharsets.UTF_8);
        assertThat(reader.read(bytes)).contains("علی^محمد");
    }

    @Test
    void decodesLatin1WhenMsh18Says8859_1() {
        byte[] bytes = adt("8859/1", "Müller^José").getBytes(StandardCharsets.ISO_8859_1);
        assertThat(reader.read(bytes)).contains("Müller^José");
    }

    @Test
    void stripsUtf8ByteOrderMarkAndMllpFraming() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0x0b);
        out.writeBytes(new byte[] {(byte) 0xef, (byte) 0xbb, (byte) 0xbf});
        out.writeBytes(adt("UNICODE UTF-8", "علی^محمد").getBytes(StandardCharsets.UTF_8));
        out.write(0x1c);
        out.write('\r');
        assertThat(reader.read(out.toByteArray())).startsWith("MSH|").contains("علی");
    }

    @Test
    void refusesBytesThatAreNotValidInTheDeclaredMsh18Charset() {
        // Urdu in Windows-1256 while MSH-18 claims UTF-8: the sender must fix MSH-18.
        byte[] bytes = adt("UNICODE UTF-8", "علی^محمد").getBytes(Charset.forName("windows-1256"));
        assertThatThrownBy(() -> reader.read(bytes))
                .isInstanceOf(MappingException.class)
                .hasMessageStartingWith("MSH-18: the message bytes are not valid UNICODE UTF-8");
    }

    @Test
    void refusesAnUnknownMsh18Charset() {
        byte[] bytes = adt("EBCDIC", "Raza^Ali").getBytes(StandardCharsets.US_ASCII);
        assertThatThrownBy(() -> reader.read(bytes))
                .isInstanceOf(MappingException.class)
                .hasMessage("MSH-18: character set 'EBCDIC' is not supported");
    }

    @Test
    void refusesBytesThatAreNotAnHl7Message() {
        assertThatThrownBy(() -> reader.read("hello".getBytes(StandardCharsets.US_ASCII)))
                .isInstanceOf(MappingException.class)
                .hasMessage("MSH: the message does not start with an MSH segment");
    }
}

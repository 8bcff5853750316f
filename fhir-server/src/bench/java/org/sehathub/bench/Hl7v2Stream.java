package org.sehathub.bench;

import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * A deterministic stream of HL7 v2.5.1 messages from Pakistani hospitals: each synthetic patient is
 * registered (ADT^A04), gets two lab reports (ORU^R01: CBC, then LFT or HbA1c) and a demographic
 * update (ADT^A08). Patients, CNICs, districts and results come from a seeded random generator, so
 * the same seed always gives the same messages. Synthetic people only.
 */
final class Hl7v2Stream {

    /** A district with its CNIC prefix (5 digits: province, division, district, tehsil, union council). */
    private record District(
            String name,
            String province,
            String cnicPrefix,
            String postcode,
            String facility,
            String facilityCode,
            String phoneArea) {}

    private static final List<District> DISTRICTS = List.of(
            new District("Lahore", "Punjab", "35202", "54000", "Mayo Hospital Lahore", "MHL", "042"),
            new District("Karachi", "Sindh", "42101", "74200", "Civil Hospital Karachi", "CHK", "021"),
            new District(
                    "Peshawar", "Khyber Pakhtunkhwa", "17301", "25000", "Lady Reading Hospital Peshawar", "LRH", "091"),
            new District("Quetta", "Balochistan", "54400", "87300", "Civil Hospital Quetta", "CHQ", "081"),
            new District(
                    "Islamabad",
                    "Islamabad Capital Territory",
                    "61101",
                    "44000",
                    "Pakistan Institute of Medical Sciences",
                    "PIMS",
                    "051"),
            new District("Multan", "Punjab", "36302", "60000", "Nishtar Hospital Multan", "NHM", "061"),
            new District("Faisalabad", "Punjab", "33100", "38000", "Allied Hospital Faisalabad", "AHF", "041"),
            new District("Rawalpindi", "Punjab", "37405", "46000", "Holy Family Hospital Rawalpindi", "HFH", "051"),
            new District("Hyderabad", "Sindh", "41306", "71000", "Liaquat University Hospital Hyderabad", "LUH", "022"),
            new District(
                    "Abbottabad", "Khyber Pakhtunkhwa", "13101", "22010", "Ayub Teaching Hospital", "ATH", "0992"));

    /** The facilities the messages name in MSH-4: the benchmark registers them for its MLLP sender. */
    static List<String> facilities() {
        return DISTRICTS.stream().map(District::facility).toList();
    }

    private static final String[] MALE = {
        "Muhammad",
        "Ahmed",
        "Ali",
        "Hassan",
        "Usman",
        "Bilal",
        "Imran",
        "Faisal",
        "Zubair",
        "Asad",
        "Hamza",
        "Kamran",
        "Waqas",
        "Tariq",
        "Saad"
    };
    private static final String[] FEMALE = {
        "Ayesha", "Fatima", "Zainab", "Hina", "Sana", "Mehwish", "Nasreen", "Rabia", "Saima", "Amna", "Maryam", "Iqra",
        "Shazia", "Bushra", "Khadija"
    };
    private static final String[] FAMILY = {
        "Khan",
        "Ahmed",
        "Malik",
        "Qureshi",
        "Siddiqui",
        "Chaudhry",
        "Butt",
        "Sheikh",
        "Baloch",
        "Khattak",
        "Yousafzai",
        "Memon",
        "Abbasi",
        "Raja",
        "Kakar",
        "Awan",
        "Mirza",
        "Bhatti"
    };
    private static final String[] STREETS = {
        "Mall Road",
        "Jinnah Road",
        "GT Road",
        "University Road",
        "Shahrah-e-Faisal",
        "Canal Road",
        "Saddar Bazaar",
        "Model Town",
        "Gulberg",
        "Satellite Town"
    };

    private static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("yyyyMMddHHmmss", Locale.ROOT);
    private static final LocalDateTime BASE = LocalDateTime.of(2025, 3, 1, 8, 0);

    private final long seed;

    Hl7v2Stream(long seed) {
        this.seed = seed;
    }

    /** The messages of one patient, in the order a hospital would send them. */
    List<String> patientMessages(int repetition, int patient) {
        Random random = new Random(seed * 1_000_003L + repetition * 100_003L + patient);
        District district = DISTRICTS.get(random.nextInt(DISTRICTS.size()));
        boolean male = random.nextBoolean();
        String given = male ? MALE[random.nextInt(MALE.length)] : FEMALE[random.nextInt(FEMALE.length)];
        String middle = male ? MALE[random.nextInt(MALE.length)] : FEMALE[random.nextInt(FEMALE.length)];
        String family = FAMILY[random.nextInt(FAMILY.length)];
        // NADRA: the last digit of a CNIC is odd for men and even for women.
        int last = random.nextInt(5) * 2 + (male ? 1 : 0);
        String cnic = district.cnicPrefix() + "-" + String.format("%07d", random.nextInt(10_000_000)) + "-" + last;
        String mrn = district.facilityCode() + "-" + (repetition + 1) + String.format("%06d", patient);
        String birth = String.format(
                "%04d%02d%02d", 1950 + random.nextInt(60), 1 + random.nextInt(12), 1 + random.nextInt(28));
        String phone = "03" + (random.nextInt(5) + 0)
                + String.format("%d-%07d", random.nextInt(10), random.nextInt(10_000_000));
        String address = "House " + (1 + random.nextInt(400)) + "^" + STREETS[random.nextInt(STREETS.length)] + "^"
                + district.name() + "^" + district.province() + "^" + district.postcode() + "^PAK";
        String pid = "PID|1||" + mrn + "^^^" + district.facility() + "^MR~" + cnic + "^^^NADRA^NI||"
                + family + "^" + given + "^" + middle + "||" + birth + "|" + (male ? "M" : "F") + "|||" + address
                + "||" + phone;
        LocalDateTime at = BASE.plusMinutes(repetition * 100_000L + patient * 7L);
        String visit = mrn + "-V1";
        String pv1 = "PV1|1|O|OPD^^^" + district.facility() + "||||^" + FAMILY[random.nextInt(FAMILY.length)] + "^"
                + MALE[random.nextInt(MALE.length)] + "^^^Dr|||MED|||||||||" + visit + "^^^" + district.facility()
                + "^VN";
        String control = "BENCH-" + (repetition + 1) + "-" + patient;

        List<String> messages = new ArrayList<>(4);
        messages.add(
                join(msh(district, at, "ADT^A04^ADT_A01", control + "-A04"), "EVN|A04|" + TS.format(at), pid, pv1));
        messages.add(labReport(district, at.plusMinutes(90), control + "-CBC", pid, pv1, mrn, cbc(random, male)));
        messages.add(labReport(
                district,
                at.plusMinutes(150),
                control + "-LAB2",
                pid,
                pv1,
                mrn,
                random.nextBoolean() ? lft(random) : hba1c(random)));
        String newPhone =
                "03" + random.nextInt(5) + String.format("%d-%07d", random.nextInt(10), random.nextInt(10_000_000));
        messages.add(join(
                msh(district, at.plusMinutes(200), "ADT^A08^ADT_A01", control + "-A08"),
                "EVN|A08|" + TS.format(at.plusMinutes(200)),
                pid.substring(0, pid.lastIndexOf('|') + 1) + newPhone,
                pv1));
        return messages;
    }

    private record Test(String panelCode, String panelName, List<String> results) {}

    private static Test cbc(Random random, boolean male) {
        double hb = male ? 11 + random.nextDouble() * 6 : 9 + random.nextDouble() * 6;
        return new Test(
                "58410-2",
                "CBC panel - Blood by Automated count",
                List.of(
                        obx(
                                "718-7",
                                "Hemoglobin [Mass/volume] in Blood",
                                hb,
                                "g/dL",
                                male ? "13.0-17.0" : "12.0-15.5",
                                male ? 13 : 12,
                                male ? 17 : 15.5),
                        obx(
                                "6690-2",
                                "Leukocytes [#/volume] in Blood by Automated count",
                                3 + random.nextDouble() * 10,
                                "10*3/uL",
                                "4.0-11.0",
                                4,
                                11),
                        obx(
                                "777-3",
                                "Platelets [#/volume] in Blood by Automated count",
                                100 + random.nextDouble() * 350,
                                "10*3/uL",
                                "150-400",
                                150,
                                400),
                        obx(
                                "4544-3",
                                "Hematocrit [Volume Fraction] of Blood by Automated count",
                                hb * 3,
                                "%",
                                "36-50",
                                36,
                                50),
                        obx(
                                "787-2",
                                "MCV [Entitic volume] by Automated count",
                                65 + random.nextDouble() * 35,
                                "fL",
                                "80-100",
                                80,
                                100)));
    }

    private static Test lft(Random random) {
        return new Test(
                "24325-3",
                "Hepatic function 2000 panel - Serum or Plasma",
                List.of(
                        obx(
                                "1742-6",
                                "Alanine aminotransferase [Enzymatic activity/volume] in Serum or Plasma",
                                10 + random.nextDouble() * 90,
                                "U/L",
                                "7-56",
                                7,
                                56),
                        obx(
                                "1920-8",
                                "Aspartate aminotransferase [Enzymatic activity/volume] in Serum or Plasma",
                                10 + random.nextDouble() * 80,
                                "U/L",
                                "10-40",
                                10,
                                40),
                        obx(
                                "6768-6",
                                "Alkaline phosphatase [Enzymatic activity/volume] in Serum or Plasma",
                                40 + random.nextDouble() * 160,
                                "U/L",
                                "44-147",
                                44,
                                147),
                        obx(
                                "1975-2",
                                "Bilirubin.total [Mass/volume] in Serum or Plasma",
                                0.2 + random.nextDouble() * 2.5,
                                "mg/dL",
                                "0.1-1.2",
                                0.1,
                                1.2),
                        obx(
                                "1751-7",
                                "Albumin [Mass/volume] in Serum or Plasma",
                                2.8 + random.nextDouble() * 2.4,
                                "g/dL",
                                "3.5-5.0",
                                3.5,
                                5.0)));
    }

    private static Test hba1c(Random random) {
        return new Test(
                "4548-4",
                "Hemoglobin A1c/Hemoglobin.total in Blood",
                List.of(obx(
                        "4548-4",
                        "Hemoglobin A1c/Hemoglobin.total in Blood",
                        4.8 + random.nextDouble() * 6,
                        "%",
                        "4.0-5.6",
                        4.0,
                        5.6)));
    }

    private static String obx(
            String code, String name, double value, String unit, String range, double low, double high) {
        String flag = value < low ? "L" : value > high ? "H" : "N";
        return "|NM|" + code + "^" + name + "^LN||" + String.format(Locale.ROOT, "%.1f", value) + "|" + unit + "^^UCUM|"
                + range + "|" + flag + "|||F";
    }

    private static String labReport(
            District district, LocalDateTime at, String control, String pid, String pv1, String mrn, Test test) {
        String order = control + "-ORD";
        List<String> segments = new ArrayList<>();
        segments.add(msh(district, at, "ORU^R01^ORU_R01", control));
        segments.add(pid);
        segments.add(pv1);
        segments.add("ORC|RE|" + order + "|" + control + "-FIL||CM||||" + TS.format(at.minusMinutes(60)));
        segments.add("OBR|1|" + order + "|" + control + "-FIL|" + test.panelCode() + "^" + test.panelName() + "^LN|||"
                + TS.format(at.minusMinutes(45)) + "|||||||||||||||" + TS.format(at) + "||LAB|F");
        for (int i = 0; i < test.results().size(); i++) {
            segments.add("OBX|" + (i + 1) + test.results().get(i) + "|||" + TS.format(at.minusMinutes(10)));
        }
        return join(segments.toArray(String[]::new));
    }

    private static String msh(District district, LocalDateTime at, String type, String control) {
        return "MSH|^~\\&|" + district.facilityCode() + "-HIS|" + district.facility() + "|SEHATHUB|SEHATHUB|"
                + TS.format(at) + "+0500||" + type + "|" + control + "|P|2.5.1";
    }

    private static String join(String... segments) {
        return String.join("\r", segments) + "\r";
    }
}

package org.sehathub.mappers.mpi;

import java.io.StringReader;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.Supplier;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Patient;
import org.sehathub.mappers.MappingException;
import org.sehathub.mappers.SourceInfo;
import org.sehathub.mappers.csv.ClinicCsvMapper;
import org.sehathub.mappers.csv.CsvLayout;
import org.sehathub.mappers.csv.CsvMappingResult;
import org.sehathub.mappers.hl7v2.Hl7v2Mapper;
import org.sehathub.mappers.mpi.SyntheticPopulation.Name;
import org.sehathub.mappers.mpi.SyntheticPopulation.Person;
import org.sehathub.mappers.mpi.SyntheticPopulation.Visit;
import org.sehathub.mappers.telehealth.TeleconsultationMapper;
import org.sehathub.mappers.terminology.TerminologyMaps;

/**
 * Writes each visit of a synthetic population as its source sends it (an HL7 v2 ADT^A04, a row of
 * a clinic's patients CSV, a teleconsultation JSON), with the faults registers have, and reads it
 * back through the real mappers: the Patient each record becomes is what the matcher sees.
 */
final class SourceRenderer {

    /** A record as stored, and the person it truly is. */
    record Stored(int person, PersonRecord record) {}

    private static final TerminologyMaps TERMINOLOGY = TerminologyMaps.loadDefault();

    private final Random random;
    private final LocalDate today;
    private final Clock clock;
    private final Hl7v2Mapper hl7;
    private final ClinicCsvMapper csv;
    private final TeleconsultationMapper telehealth;

    SourceRenderer(long seed, LocalDate today) {
        this.random = new Random(seed);
        this.today = today;
        this.clock = Clock.fixed(today.atStartOfDay().toInstant(ZoneOffset.UTC), ZoneOffset.UTC);
        this.hl7 = new Hl7v2Mapper(TERMINOLOGY, clock);
        this.csv = new ClinicCsvMapper(TERMINOLOGY, clock);
        this.telehealth = new TeleconsultationMapper(TERMINOLOGY, clock);
    }

    /** Every visit sent and mapped; a visit a mapper refuses (as a real one would be) is left out. */
    List<Stored> storeAll(List<Visit> visits) {
        List<Stored> stored = new ArrayList<>();
        Map<String, List<Integer>> csvByFacility = new LinkedHashMap<>();
        Map<String, StringBuilder> csvFiles = new HashMap<>();
        for (int i = 0; i < visits.size(); i++) {
            Visit visit = visits.get(i);
            Variant v = variant(visit);
            switch (visit.source()) {
                case HL7V2 -> {
                    String message = hl7(visit, v, i);
                    patient(mapped(() -> hl7.map(message).bundle()), visit, i).ifPresent(stored::add);
                }
                case TELEHEALTH -> {
                    String json = telehealth(visit, v, i);
                    patient(mapped(() -> telehealth.map(json, source(visit)).bundle()), visit, i)
                            .ifPresent(stored::add);
                }
                case CSV -> {
                    csvFiles.computeIfAbsent(
                                    visit.facility(),
                                    f -> new StringBuilder(
                                            "mrn,cnic,given_name,family_name,name_urdu,sex,date_of_birth,phone,district,"
                                                    + "father_name,husband_name\n"))
                            .append(csvRow(visit, v, i));
                    csvByFacility
                            .computeIfAbsent(visit.facility(), f -> new ArrayList<>())
                            .add(i);
                }
            }
        }
        for (Map.Entry<String, StringBuilder> file : csvFiles.entrySet()) {
            CsvMappingResult result = csv.map(
                    CsvLayout.PATIENTS,
                    new StringReader(file.getValue().toString()),
                    new SourceInfo("clinic-csv", file.getKey(), "file-" + file.getKey(), Instant.now(clock)));
            Map<String, Integer> byMrn = new HashMap<>();
            for (int i : csvByFacility.get(file.getKey())) {
                byMrn.put(mrn(visits.get(i), i), i);
            }
            for (Bundle.BundleEntryComponent entry : result.bundle().getEntry()) {
                if (entry.getResource() instanceof Patient patient) {
                    Integer index = patient.getIdentifier().stream()
                            .map(Identifier::getValue)
                            .filter(byMrn::containsKey)
                            .map(byMrn::get)
                            .findFirst()
                            .orElse(null);
                    if (index != null) {
                        Visit visit = visits.get(index);
                        stored.add(new Stored(
                                visit.person(), PersonRecord.of("Patient/" + index, visit.facility(), patient, today)));
                    }
                }
            }
        }
        return stored;
    }

    /** How this one record deviates from the truth. */
    record Variant(
            String latinGiven,
            String latinFamily,
            boolean latin,
            boolean urdu,
            String cnic,
            String birthDate,
            String phone,
            boolean relative,
            boolean mother,
            boolean district) {}

    private Variant variant(Visit visit) {
        Person p = visit.as();
        int script = random.nextInt(100);
        boolean latin = visit.source() == SyntheticPopulation.Source.HL7V2 || script < 85;
        boolean urdu = visit.source() != SyntheticPopulation.Source.HL7V2 && script >= 60;
        String cnic = null;
        int cnicChance = switch (visit.source()) {
            case HL7V2 -> 60;
            case CSV -> 70;
            case TELEHEALTH -> 45;
        };
        if (p.cnic() != null && random.nextInt(100) < cnicChance) {
            cnic = random.nextInt(100) < 3 ? mistype(p.cnic()) : p.cnic();
        } else if (p.cnic() == null && p.motherCnic() != null && random.nextInt(100) < 25) {
            cnic = p.motherCnic(); // a child's record with the mother's CNIC
        }
        String birthDate = null;
        int date = random.nextInt(100);
        if (date < 80) {
            birthDate = p.birthDate().toString();
        } else if (date < 87) {
            birthDate = dateTypo(p.birthDate()).toString();
        } else if (date < 95) {
            birthDate = String.valueOf(p.birthDate().getYear());
        }
        String phone = random.nextInt(100) < 65 ? p.phone() : null;
        boolean relative = switch (visit.source()) {
            case HL7V2 -> random.nextInt(100) < 35;
            case CSV -> random.nextInt(100) < 55;
            case TELEHEALTH -> false;
        };
        return new Variant(
                spelling(p.given()),
                spelling(p.family()),
                latin,
                urdu || !latin,
                cnic,
                birthDate,
                phone,
                relative,
                visit.source() == SyntheticPopulation.Source.HL7V2 && random.nextInt(100) < 20,
                random.nextInt(100) < 60);
    }

    private String spelling(Name name) {
        return random.nextInt(100) < 70 || name.latin().length == 1
                ? name.latin()[0]
                : name.latin()[1 + random.nextInt(name.latin().length - 1)];
    }

    private String mistype(String cnic) {
        char[] digits = cnic.toCharArray();
        int at;
        do {
            at = random.nextInt(digits.length - 1);
        } while (!Character.isDigit(digits[at]) || !Character.isDigit(digits[at + 1]) || at == 0);
        if (random.nextBoolean()) {
            char c = digits[at];
            digits[at] = digits[at + 1];
            digits[at + 1] = c;
        } else {
            digits[at] = (char) ('0' + (digits[at] - '0' + 1 + random.nextInt(8)) % 10);
        }
        return new String(digits);
    }

    private LocalDate dateTypo(LocalDate date) {
        int kind = random.nextInt(3);
        if (kind == 0 && date.getDayOfMonth() <= 12 && date.getDayOfMonth() != date.getMonthValue()) {
            return LocalDate.of(date.getYear(), date.getDayOfMonth(), date.getMonthValue());
        }
        if (kind == 1) {
            return date.plusDays(random.nextBoolean() ? 1 : -1);
        }
        return date.withYear(date.getYear() + (random.nextBoolean() ? 1 : -1));
    }

    private static String mrn(Visit visit, int index) {
        return "MR" + index;
    }

    private String hl7(Visit visit, Variant v, int index) {
        Person p = visit.as();
        String ids = mrn(visit, index) + "^^^" + visit.facility() + "^MR"
                + (v.cnic() != null ? "~" + v.cnic() + "^^^NADRA^NI" : "");
        String name = v.latinFamily() + "^" + v.latinGiven();
        String mother = v.mother() ? p.mother().latin()[0] : "";
        String dob = v.birthDate() == null ? "" : v.birthDate().replace("-", "");
        String address = v.district() ? "^^^^^PK^H^^" + p.district() : "";
        String nk1 = "";
        if (v.relative()) {
            String code = "husband".equals(p.relativeKind()) ? "SPO^Spouse^HL70063" : "FTH^Father^HL70063";
            nk1 = "\rNK1|1|^" + p.relative().latin()[0] + "|" + code;
        }
        return "MSH|^~\\&|HIS|" + visit.facility() + "|SEHATHUB|SEHATHUB|20240315101500+0500||ADT^A04^ADT_A01|M"
                + index + "|P|2.5\rEVN|A04|20240315101500\rPID|1||" + ids + "||" + name + "|" + mother + "|" + dob
                + "|" + ("male".equals(p.sex()) ? "M" : "F") + "|||" + address + "||"
                + (v.phone() != null ? v.phone() : "") + nk1;
    }

    private String csvRow(Visit visit, Variant v, int index) {
        Person p = visit.as();
        String father =
                v.relative() && "father".equals(p.relativeKind()) ? p.relative().latin()[0] : "";
        String husband = v.relative() && "husband".equals(p.relativeKind())
                ? p.relative().latin()[0]
                : "";
        return String.join(
                        ",",
                        mrn(visit, index),
                        v.cnic() != null ? v.cnic() : "",
                        v.latin() ? v.latinGiven() : "",
                        v.latin() ? v.latinFamily() : "",
                        v.urdu() ? p.given().urdu() + " " + p.family().urdu() : "",
                        "male".equals(p.sex()) ? "M" : "F",
                        v.birthDate() != null ? v.birthDate() : "",
                        v.phone() != null ? v.phone() : "",
                        v.district() ? p.district() : "",
                        father,
                        husband)
                + "\n";
    }

    private String telehealth(Visit visit, Variant v, int index) {
        Person p = visit.as();
        StringBuilder name = new StringBuilder("{");
        if (v.latin()) {
            name.append("\"given\":\"")
                    .append(v.latinGiven())
                    .append("\",\"family\":\"")
                    .append(v.latinFamily())
                    .append('"');
        }
        if (v.urdu()) {
            name.append(v.latin() ? "," : "")
                    .append("\"urdu\":\"")
                    .append(p.given().urdu())
                    .append(' ')
                    .append(p.family().urdu())
                    .append('"');
        }
        name.append('}');
        return "{\"consultation_id\":\"TC-" + index + "\",\"patient\":{\"id\":\"" + mrn(visit, index) + "\""
                + (v.cnic() != null ? ",\"cnic\":\"" + v.cnic() + "\"" : "")
                + ",\"name\":" + name + ",\"sex\":\"" + p.sex() + "\""
                + (v.birthDate() != null ? ",\"birth_date\":\"" + v.birthDate() + "\"" : "")
                + (v.phone() != null ? ",\"phone\":\"" + v.phone() + "\"" : "")
                + (v.district() ? ",\"address\":{\"district\":\"" + p.district() + "\"}" : "")
                + "},\"practitioner\":{\"pmdc\":\"71234-S\",\"name\":{\"given\":\"Abdul\",\"family\":\"Qadir\"}},"
                + "\"encounter\":{\"start\":\"2024-03-16T19:05:00\",\"mode\":\"video\"}}";
    }

    private SourceInfo source(Visit visit) {
        return new SourceInfo(visit.facility(), visit.facility(), "TC", Instant.now(clock));
    }

    /** What a mapper made of a record, or nothing when it refused it (as it would a real one). */
    private static Optional<Bundle> mapped(Supplier<Bundle> mapping) {
        try {
            return Optional.of(mapping.get());
        } catch (MappingException e) {
            return Optional.empty();
        }
    }

    private Optional<Stored> patient(Optional<Bundle> bundle, Visit visit, int index) {
        return bundle.flatMap(b -> b.getEntry().stream()
                .filter(e -> e.getResource() instanceof Patient)
                .map(e -> (Patient) e.getResource())
                .findFirst()
                .map(patient -> new Stored(
                        visit.person(), PersonRecord.of("Patient/" + index, visit.facility(), patient, today))));
    }
}

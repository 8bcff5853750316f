package org.sehathub.mappers.hl7v2;

import ca.uhn.fhir.model.api.TemporalPrecisionEnum;
import ca.uhn.hl7v2.model.Type;
import java.time.OffsetDateTime;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TimeZone;
import org.hl7.fhir.r4.model.Appointment;
import org.hl7.fhir.r4.model.Appointment.AppointmentStatus;
import org.hl7.fhir.r4.model.Appointment.ParticipationStatus;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.Reference;
import org.sehathub.mappers.MappingException;
import org.sehathub.mappers.MappingIssue;
import org.sehathub.mappers.normalize.DateNormalizer;
import org.sehathub.mappers.normalize.NormalizationException;

/**
 * SCH (+ TQ1, AIS, AIG, AIL, AIP) to Appointment, after the v2-to-FHIR guide's SCH[Appointment]
 * and AIx[Appointment] maps.
 *
 * <p>Key: SCH-2 filler appointment id (else SCH-1 placer id), scoped to the facility; the
 * Appointment is replaced on every SIU about it. Timing comes from TQ1-7/8 (v2.6+), SCH-11.4/.5
 * (v2.3-2.5, read from the raw segment because v2.8 withdrew it), or AIS-4 with AIS-7/8 duration.
 * A teleconsultation (AIS-3 or SCH-7 naming tele/video/virtual, or AIL-4 location type VIRTUAL)
 * gets the serviceType coding {@code v3-ActCode#VR "virtual"}, the same concept as the virtual
 * Encounter class, so schedulers can filter on it.
 */
final class AppointmentMapper {

    private static final String ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode";
    private static final Set<String> APPOINTMENT_REASONS =
            Set.of("ROUTINE", "WALKIN", "CHECKUP", "FOLLOWUP", "EMERGENCY");

    private final Hl7Context ctx;
    private Appointment appointment;
    private SegmentRef sch;
    private boolean virtual;
    private String start;
    private String end;
    private Integer minutes;

    AppointmentMapper(Hl7Context ctx) {
        this.ctx = ctx;
    }

    void sch(SegmentRef ref) {
        sch = ref;
        Appointment a = new Appointment();
        String placer = V2.component(V2.first(ref.segment(), 1), 1);
        String filler = V2.component(V2.first(ref.segment(), 2), 1);
        if (placer == null && filler == null) {
            throw new MappingException(ref.at(2), "neither filler (SCH-2) nor placer appointment id (SCH-1)");
        }
        String system = Hl7v2Systems.appointment(ctx.facility);
        if (filler != null) {
            a.addIdentifier(Datatypes.typedIdentifier(system, filler, "FILL", "Filler Identifier"));
        }
        if (placer != null) {
            a.addIdentifier(Datatypes.typedIdentifier(system, placer, "PLAC", "Placer Identifier"));
        }
        Type reasonType = V2.first(ref.segment(), 7);
        CodeableConcept reason = ctx.types.concept(reasonType, null);
        if (reason != null) {
            String code = upper(V2.component(reasonType, 1));
            if (code != null && APPOINTMENT_REASONS.contains(code)) {
                reason.getCodingFirstRep().setSystem("http://terminology.hl7.org/CodeSystem/v2-0276");
                a.setAppointmentType(reason);
            } else {
                a.addReasonCode(reason);
            }
            virtual |= isVirtual(V2.component(reasonType, 1), V2.component(reasonType, 2));
        }
        String duration = ref.field(9);
        if (duration != null) {
            minutes = minutes(duration, V2.component(V2.first(ref.segment(), 10), 1), ref.at(9));
        }
        start = ctx.raw.component(ref, 11, 4);
        end = ctx.raw.component(ref, 11, 5);
        a.setStatus(status(ref));
        ctx.reportUnmappedFields(ref, List.of(1, 2, 7, 9, 10, 11, 25));
        appointment = a;
        ctx.bundle.conditionalUpdate(a, Hl7Context.identifierQuery(system, filler != null ? filler : placer));
    }

    /** TQ1-7 start and TQ1-8 end. */
    void tq1(SegmentRef tq1) {
        if (appointment == null) {
            ctx.information(tq1.label(), "TQ1 outside a schedule; not mapped");
            return;
        }
        start = firstNonNull(tq1.field(7), start);
        end = firstNonNull(tq1.field(8), end);
        ctx.reportUnmappedFields(tq1, List.of(1, 7, 8));
    }

    /** AIS-3 service to serviceType, AIS-4 start, AIS-7/8 duration. */
    void ais(SegmentRef ais) {
        if (appointment == null) {
            ctx.warning(ais.label(), "AIS without an SCH; not mapped");
            return;
        }
        Type service = V2.first(ais.segment(), 3);
        CodeableConcept serviceType = ctx.types.concept(service, null);
        if (serviceType != null) {
            appointment.addServiceType(serviceType);
            virtual |= isVirtual(V2.component(service, 1), V2.component(service, 2));
        }
        if (start == null) {
            start = ais.field(4);
        }
        if (minutes == null && ais.field(7) != null) {
            minutes = minutes(ais.field(7), V2.component(V2.first(ais.segment(), 8), 1), ais.at(7));
        }
        ctx.reportUnmappedFields(ais, List.of(1, 3, 4, 7, 8));
    }

    /** AIG-3 resource (a general resource such as a video room) as a participant by display. */
    void aig(SegmentRef aig) {
        if (appointment == null) {
            ctx.warning(aig.label(), "AIG without an SCH; not mapped");
            return;
        }
        Type resource = V2.first(aig.segment(), 3);
        String display = resource == null ? null : firstNonNull(V2.component(resource, 2), V2.component(resource, 1));
        if (display == null) {
            ctx.missing(aig.at(3), "general resource without an id or name; not mapped");
            return;
        }
        Appointment.AppointmentParticipantComponent p = appointment.addParticipant();
        p.setActor(new Reference().setDisplay(display)).setStatus(ParticipationStatus.ACCEPTED);
        CodeableConcept type = ctx.types.concept(V2.first(aig.segment(), 4), null);
        if (type != null) {
            p.addType(type);
            virtual |= isVirtual(V2.component(V2.first(aig.segment(), 4), 1), null);
        }
        ctx.reportUnmappedFields(aig, List.of(1, 3, 4));
    }

    /** AIL-3 location to a Location participant; AIL-4 location type VIRTUAL marks a teleconsultation. */
    void ail(SegmentRef ail) {
        if (appointment == null) {
            ctx.warning(ail.label(), "AIL without an SCH; not mapped");
            return;
        }
        Type locationType = V2.first(ail.segment(), 4);
        virtual |= locationType != null && isVirtual(V2.component(locationType, 1), V2.component(locationType, 2));
        Reference location = ctx.types.location(V2.first(ail.segment(), 3), ail.at(3));
        if (location != null) {
            appointment.addParticipant().setActor(location).setStatus(ParticipationStatus.ACCEPTED);
        }
        ctx.reportUnmappedFields(ail, List.of(1, 3, 4));
    }

    /** AIP-3 personnel to a Practitioner participant, AIP-4 role to participant.type. */
    void aip(SegmentRef aip) {
        if (appointment == null) {
            ctx.warning(aip.label(), "AIP without an SCH; not mapped");
            return;
        }
        List<Type> people = V2.reps(aip.segment(), 3);
        for (int i = 0; i < people.size(); i++) {
            Reference who = ctx.practitioners.reference(people.get(i), aip.at(3, i + 1));
            if (who != null) {
                Appointment.AppointmentParticipantComponent p =
                        appointment.addParticipant().setActor(who).setStatus(ParticipationStatus.ACCEPTED);
                CodeableConcept role = ctx.types.concept(V2.first(aip.segment(), 4), null);
                if (role != null) {
                    p.addType(role);
                }
            }
        }
        ctx.reportUnmappedFields(aip, List.of(1, 3, 4));
    }

    /** After all segments: the patient participant, timing, the virtual service type. */
    void finish(Subject subject) {
        if (appointment == null) {
            return;
        }
        if (subject.hasPatient()) {
            appointment
                    .getParticipant()
                    .add(
                            0,
                            new Appointment.AppointmentParticipantComponent()
                                    .setActor(subject.patient())
                                    .setStatus(ParticipationStatus.ACCEPTED));
        } else {
            throw new MappingException(
                    MappingIssue.Kind.MISSING,
                    "PID",
                    "SIU^" + ctx.parsed.triggerEvent() + " has no PID; an appointment needs its patient");
        }
        OffsetDateTime from = instant(start, sch.at(11));
        OffsetDateTime to = instant(end, sch.at(11));
        if (from != null) {
            appointment.setStartElement(instantType(from));
            if (to == null && minutes != null) {
                to = from.plusMinutes(minutes);
            }
        }
        if (to != null && from != null) {
            appointment.setEndElement(instantType(to));
        }
        if (minutes != null) {
            appointment.setMinutesDuration(minutes);
        }
        if ((from == null || to == null)
                && appointment.getStatus() != AppointmentStatus.PROPOSED
                && appointment.getStatus() != AppointmentStatus.CANCELLED
                && appointment.getStatus() != AppointmentStatus.WAITLIST) {
            // FHIR (app-3) lets only proposed, cancelled or waitlisted appointments lack start and end.
            ctx.missing(sch.at(11), "no start and end (SCH-11, TQ1-7/8, AIS-4 with duration); status set to proposed");
            appointment.setStatus(AppointmentStatus.PROPOSED);
        }
        if (virtual) {
            appointment.addServiceType(
                    new CodeableConcept(new Coding(ACT_CODE, "VR", "virtual")).setText("Teleconsultation"));
        }
    }

    /** An instant that keeps the sender's offset (+05:00) rather than printing UTC. */
    static InstantType instantType(OffsetDateTime t) {
        return new InstantType(
                Date.from(t.toInstant()), TemporalPrecisionEnum.SECOND, TimeZone.getTimeZone(t.getOffset()));
    }

    private OffsetDateTime instant(String raw, String location) {
        if (raw == null) {
            return null;
        }
        try {
            return DateNormalizer.parseDateTime(raw);
        } catch (NormalizationException e) {
            ctx.warning(location, "time '" + raw + "' left out: " + e.getReason());
            return null;
        }
    }

    private AppointmentStatus status(SegmentRef ref) {
        String status = upper(ref.field(25));
        if (status == null) {
            // S12 is "new appointment booked".
            return AppointmentStatus.BOOKED;
        }
        return switch (status) {
            case "BOOKED", "OVERBOOK" -> AppointmentStatus.BOOKED;
            case "PENDING" -> AppointmentStatus.PENDING;
            case "CANCELLED", "DELETED", "DC" -> AppointmentStatus.CANCELLED;
            case "COMPLETE" -> AppointmentStatus.FULFILLED;
            case "NOSHOW" -> AppointmentStatus.NOSHOW;
            case "WAITLIST" -> AppointmentStatus.WAITLIST;
            case "STARTED" -> AppointmentStatus.ARRIVED;
            default -> {
                ctx.unknownCode(ref.at(25), "filler status '" + status + "' is not in HL7 table 0278; taken as booked");
                yield AppointmentStatus.BOOKED;
            }
        };
    }

    private Integer minutes(String raw, String unit, String location) {
        if (!raw.matches("\\d{1,4}")) {
            ctx.warning(location, "duration '" + raw + "' is not a whole number; left out");
            return null;
        }
        int value = Integer.parseInt(raw);
        String u = unit == null ? "MIN" : unit.toUpperCase(Locale.ROOT);
        return switch (u) {
            case "MIN", "M", "MINUTES" -> value;
            case "H", "HR", "HOUR", "HOURS" -> value * 60;
            case "S", "SEC" -> Math.max(1, value / 60);
            default -> {
                ctx.warning(location, "duration unit '" + unit + "' not understood; taken as minutes");
                yield value;
            }
        };
    }

    private static boolean isVirtual(String code, String text) {
        String s = ((code == null ? "" : code) + " " + (text == null ? "" : text)).toLowerCase(Locale.ROOT);
        return s.contains("tele") || s.contains("video") || s.contains("virtual");
    }

    private static String upper(String s) {
        return s == null ? null : s.toUpperCase(Locale.ROOT);
    }

    private static String firstNonNull(String a, String b) {
        return a != null ? a : b;
    }
}

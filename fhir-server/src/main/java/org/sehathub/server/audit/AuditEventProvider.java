package org.sehathub.server.audit;

import ca.uhn.fhir.rest.annotation.Count;
import ca.uhn.fhir.rest.annotation.Create;
import ca.uhn.fhir.rest.annotation.Delete;
import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.Offset;
import ca.uhn.fhir.rest.annotation.OptionalParam;
import ca.uhn.fhir.rest.annotation.Patch;
import ca.uhn.fhir.rest.annotation.Read;
import ca.uhn.fhir.rest.annotation.ResourceParam;
import ca.uhn.fhir.rest.annotation.Search;
import ca.uhn.fhir.rest.annotation.Sort;
import ca.uhn.fhir.rest.annotation.Update;
import ca.uhn.fhir.rest.api.MethodOutcome;
import ca.uhn.fhir.rest.api.PatchTypeEnum;
import ca.uhn.fhir.rest.api.SortOrderEnum;
import ca.uhn.fhir.rest.api.SortSpec;
import ca.uhn.fhir.rest.api.server.IBundleProvider;
import ca.uhn.fhir.rest.param.DateParam;
import ca.uhn.fhir.rest.param.DateRangeParam;
import ca.uhn.fhir.rest.param.ParamPrefixEnum;
import ca.uhn.fhir.rest.param.ReferenceAndListParam;
import ca.uhn.fhir.rest.param.ReferenceOrListParam;
import ca.uhn.fhir.rest.param.ReferenceParam;
import ca.uhn.fhir.rest.param.StringAndListParam;
import ca.uhn.fhir.rest.param.StringOrListParam;
import ca.uhn.fhir.rest.param.StringParam;
import ca.uhn.fhir.rest.param.TokenAndListParam;
import ca.uhn.fhir.rest.param.TokenOrListParam;
import ca.uhn.fhir.rest.param.TokenParam;
import ca.uhn.fhir.rest.server.IResourceProvider;
import ca.uhn.fhir.rest.server.SimpleBundleProvider;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import java.util.Date;
import java.util.List;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.IdType;

/**
 * {@code /fhir/AuditEvent}, read-only, over {@link AuditEventStore} (in place of HAPI's JPA provider
 * for the type): read by id and search by the parameters privacy officers use. Searches page by
 * offset ({@link AuditSearchPaging}), oldest first unless {@code _sort=-date}. Writes are refused
 * with 403 for every client: the trail is written by the server only.
 */
public class AuditEventProvider implements IResourceProvider {

    private static final String WRITTEN_BY_SERVER = "AuditEvents are written by the server only";

    private final AuditEventStore store;

    public AuditEventProvider(AuditEventStore store) {
        this.store = store;
    }

    @Override
    public Class<AuditEvent> getResourceType() {
        return AuditEvent.class;
    }

    @Read
    public AuditEvent read(@IdParam IdType id) {
        try {
            return store.find(Long.parseLong(id.getIdPart())).orElseThrow(() -> new ResourceNotFoundException(id));
        } catch (NumberFormatException notOurs) {
            throw new ResourceNotFoundException(id);
        }
    }

    @Search
    public IBundleProvider search(
            @OptionalParam(name = AuditEvent.SP_AGENT_NAME) StringAndListParam agentName,
            @OptionalParam(name = AuditEvent.SP_ALTID) TokenAndListParam altId,
            @OptionalParam(name = AuditEvent.SP_ENTITY_NAME) StringAndListParam entityName,
            @OptionalParam(name = AuditEvent.SP_PATIENT) ReferenceAndListParam patient,
            @OptionalParam(name = AuditEvent.SP_TYPE) TokenAndListParam type,
            @OptionalParam(name = AuditEvent.SP_SUBTYPE) TokenAndListParam subtype,
            @OptionalParam(name = AuditEvent.SP_ACTION) TokenAndListParam action,
            @OptionalParam(name = AuditEvent.SP_OUTCOME) TokenAndListParam outcome,
            @OptionalParam(name = AuditEvent.SP_DATE) DateRangeParam date,
            @Sort SortSpec sort,
            @Offset Integer offset,
            @Count Integer count) {
        AuditQuery query = new AuditQuery();
        strings(query, AuditEventStore.Key.AGENT, agentName);
        strings(query, AuditEventStore.Key.ENTITY, entityName);
        tokens(query, AuditEventStore.Key.ALTID, altId);
        tokens(query, AuditEventStore.Key.TYPE, type);
        tokens(query, AuditEventStore.Key.SUBTYPE, subtype);
        tokens(query, AuditEventStore.Key.ACTION, action);
        if (patient != null) {
            for (ReferenceOrListParam anyOf : patient.getValuesAsQueryTokens()) {
                // The trail names patients by identifier (AuditEventWriter#detach), Patient/123.
                query.key(
                        AuditEventStore.Key.ENTITY,
                        anyOf.getValuesAsQueryTokens().stream()
                                .map(ReferenceParam::getIdPart)
                                .map(id -> new AuditQuery.Value("Patient/" + id, AuditQuery.Match.EXACT))
                                .toList());
            }
        }
        if (outcome != null) {
            for (TokenOrListParam anyOf : outcome.getValuesAsQueryTokens()) {
                query.outcome(anyOf.getValuesAsQueryTokens().stream()
                        .map(TokenParam::getValue)
                        .toList());
            }
        }
        if (date != null) {
            range(query, date);
        }
        if (sort != null) {
            if (!List.of(AuditEvent.SP_DATE, "_id", "_lastUpdated").contains(sort.getParamName())
                    || sort.getChain() != null) {
                throw new InvalidRequestException("AuditEvent is sorted by date only (_sort=date or _sort=-date)");
            }
            if (sort.getOrder() == SortOrderEnum.DESC) {
                query.newestFirst();
            }
        }
        int from = offset == null ? 0 : offset;
        int size = count == null ? AuditSearchPaging.DEFAULT_COUNT : count;
        AuditEventStore.Page page = store.search(query, from, size);
        SimpleBundleProvider result = new SimpleBundleProvider(page.events());
        result.setCurrentPageOffset(from);
        result.setCurrentPageSize(size);
        result.setSize(page.total());
        return result;
    }

    @Create
    public MethodOutcome create(@ResourceParam AuditEvent event) {
        throw new ForbiddenOperationException(WRITTEN_BY_SERVER);
    }

    @Update
    public MethodOutcome update(@IdParam IdType id, @ResourceParam AuditEvent event) {
        throw new ForbiddenOperationException(WRITTEN_BY_SERVER);
    }

    @Patch
    public MethodOutcome patch(@IdParam IdType id, PatchTypeEnum type, @ResourceParam String body) {
        throw new ForbiddenOperationException(WRITTEN_BY_SERVER);
    }

    @Delete
    public MethodOutcome delete(@IdParam IdType id) {
        throw new ForbiddenOperationException(WRITTEN_BY_SERVER);
    }

    /**
     * The period a date search names, to the precision it was given in (a day, a month, a second):
     * {@code ge2026-01-02} from the start of that day, {@code lt2026-01-04} before the start of
     * that one, {@code 2026-01-03} that whole day. Unlike HAPI's JPA, no margin is added for time
     * zones: the trail is searched by the server's clock.
     */
    private static void range(AuditQuery query, DateRangeParam date) {
        DateParam lower = date.getLowerBound();
        if (lower != null && lower.getValue() != null) {
            Date from = lower.getPrefix() == ParamPrefixEnum.GREATERTHAN
                    ? lower.getPrecision().add(lower.getValue(), 1)
                    : lower.getValue();
            query.recordedFrom(from.toInstant());
        }
        DateParam upper = date.getUpperBound();
        if (upper != null && upper.getValue() != null) {
            Date before = upper.getPrefix() == ParamPrefixEnum.LESSTHAN
                    ? upper.getValue()
                    : upper.getPrecision().add(upper.getValue(), 1);
            query.recordedBefore(before.toInstant());
        }
    }

    private static void strings(AuditQuery query, AuditEventStore.Key kind, StringAndListParam param) {
        if (param == null) {
            return;
        }
        for (StringOrListParam anyOf : param.getValuesAsQueryTokens()) {
            query.key(
                    kind,
                    anyOf.getValuesAsQueryTokens().stream()
                            .map(AuditEventProvider::value)
                            .toList());
        }
    }

    private static AuditQuery.Value value(StringParam param) {
        AuditQuery.Match match = param.isExact()
                ? AuditQuery.Match.EXACT
                : param.isContains() ? AuditQuery.Match.CONTAINS : AuditQuery.Match.PREFIX;
        return new AuditQuery.Value(param.getValue(), match);
    }

    private static void tokens(AuditQuery query, AuditEventStore.Key kind, TokenAndListParam param) {
        if (param == null) {
            return;
        }
        for (TokenOrListParam anyOf : param.getValuesAsQueryTokens()) {
            query.key(
                    kind,
                    anyOf.getValuesAsQueryTokens().stream()
                            .map(token -> new AuditQuery.Value(token.getValue(), AuditQuery.Match.EXACT))
                            .toList());
        }
    }
}

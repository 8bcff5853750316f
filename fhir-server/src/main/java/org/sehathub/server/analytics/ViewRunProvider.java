package org.sehathub.server.analytics;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.dao.IFhirResourceDao;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.rest.annotation.Operation;
import ca.uhn.fhir.rest.api.server.IBundleProvider;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.param.DateParam;
import ca.uhn.fhir.rest.param.DateRangeParam;
import ca.uhn.fhir.rest.param.ParamPrefixEnum;
import ca.uhn.fhir.rest.param.ReferenceOrListParam;
import ca.uhn.fhir.rest.param.ReferenceParam;
import ca.uhn.fhir.rest.param.TokenOrListParam;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import com.fasterxml.jackson.databind.JsonNode;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Date;
import java.util.Iterator;
import java.util.List;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code [base]/$viewdefinition-run} (SQL on FHIR v2, the operation as the specification names it;
 * R4 mode, so at system level): runs a ViewDefinition given in the request ({@code viewResource})
 * over the server's resources of its type, or over resources sent with it ({@code resource}), and
 * streams the rows as NDJSON, JSON or CSV. Filters: {@code patient}, {@code _since}, {@code _limit}.
 * It returns identifiable data: operators only (the authorization rules allow no other role).
 *
 * <p>A request that is not one, or a view that cannot run on the first page of resources, is
 * answered 400 with an OperationOutcome; once rows have been sent an error can only end the
 * response early (it is logged).
 */
public class ViewRunProvider {

    private static final Logger log = LoggerFactory.getLogger(ViewRunProvider.class);
    private static final int PAGE = 500;

    private final FhirContext fhir;
    private final ViewEngine engine;
    private final DaoRegistry daos;

    public ViewRunProvider(FhirContext fhir, ViewEngine engine, DaoRegistry daos) {
        this.fhir = fhir;
        this.engine = engine;
        this.daos = daos;
    }

    @Operation(name = "$viewdefinition-run", manualRequest = true, manualResponse = true, idempotent = true)
    public void run(HttpServletRequest servletRequest, HttpServletResponse response) throws IOException {
        ViewRunRequest request;
        CompiledView view;
        try {
            InputStream body = "POST".equals(servletRequest.getMethod()) ? servletRequest.getInputStream() : null;
            request = ViewRunRequest.read(servletRequest.getParameterMap(), body);
            view = engine.compile(ViewDefinition.parse(request.view()));
        } catch (ViewRunRequest.BadRequest | ViewDefinitionException e) {
            throw new InvalidRequestException(e.getMessage());
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new InvalidRequestException("the body is not JSON: " + e.getOriginalMessage());
        }
        Iterator<List<IBaseResource>> pages = request.resources().isEmpty()
                ? stored(view.resourceType(), request)
                : List.of(inline(request.resources())).iterator();
        List<String> columns =
                view.columns().stream().map(ViewDefinition.Column::name).toList();
        RowFormat.RowWriter writer = null;
        int sent = 0;
        Integer limit = request.limit();
        try {
            while (pages.hasNext() && (limit == null || sent < limit)) {
                List<List<Object>> rows = new ArrayList<>();
                for (IBaseResource resource : pages.next()) {
                    rows.addAll(view.rows(resource));
                }
                if (writer == null) {
                    writer = open(response, request, columns);
                }
                for (List<Object> row : rows) {
                    if (limit != null && sent >= limit) {
                        break;
                    }
                    writer.write(row);
                    sent++;
                }
            }
            if (writer == null) {
                writer = open(response, request, columns);
            }
        } catch (ViewDefinitionException e) {
            if (writer == null) {
                throw new InvalidRequestException(e.getMessage());
            }
            log.warn("$viewdefinition-run ended after {} rows: {}", sent, e.getMessage());
        } finally {
            if (writer != null) {
                writer.close();
            }
        }
    }

    private static RowFormat.RowWriter open(HttpServletResponse response, ViewRunRequest request, List<String> columns)
            throws IOException {
        response.setStatus(200);
        response.setContentType(request.format().mediaType);
        response.setCharacterEncoding("UTF-8");
        return request.format().writer(columns, request.header(), response.getOutputStream());
    }

    private List<IBaseResource> inline(List<JsonNode> resources) {
        List<IBaseResource> parsed = new ArrayList<>();
        for (JsonNode resource : resources) {
            try {
                parsed.add(fhir.newJsonParser().parseResource(resource.toString()));
            } catch (DataFormatException e) {
                throw new InvalidRequestException("resource: not an R4 resource: " + e.getMessage());
            }
        }
        return parsed;
    }

    /** The server's resources of the type, page by page, as the request filters them. */
    private Iterator<List<IBaseResource>> stored(String type, ViewRunRequest request) {
        SearchParameterMap search = new SearchParameterMap();
        if (!request.patients().isEmpty()) {
            if (type.equals("Patient")) {
                TokenOrListParam ids = new TokenOrListParam();
                request.patients().forEach(id -> ids.add(null, id));
                search.add("_id", ids);
            } else if (fhir.getResourceDefinition(type).getSearchParam("patient") != null) {
                ReferenceOrListParam patients = new ReferenceOrListParam();
                request.patients().forEach(id -> patients.add(new ReferenceParam("Patient/" + id)));
                search.add("patient", patients);
            } else {
                throw new InvalidRequestException("patient: " + type + " has no patient to filter by");
            }
        }
        if (request.since() != null) {
            search.setLastUpdated(new DateRangeParam(
                    new DateParam(ParamPrefixEnum.GREATERTHAN_OR_EQUALS, Date.from(request.since())), null));
        }
        IFhirResourceDao<?> dao = daos.getResourceDao(type);
        IBundleProvider found = dao.search(search, new SystemRequestDetails());
        return new Iterator<>() {
            private int from;
            private List<IBaseResource> next = page();

            private List<IBaseResource> page() {
                List<IBaseResource> page = found.getResources(from, from + PAGE);
                from += PAGE;
                return page;
            }

            @Override
            public boolean hasNext() {
                return !next.isEmpty();
            }

            @Override
            public List<IBaseResource> next() {
                List<IBaseResource> current = next;
                next = current.size() < PAGE ? List.of() : page();
                return current;
            }
        };
    }
}

package org.sehathub.server.interceptor;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.rest.api.Constants;
import ca.uhn.fhir.rest.api.server.IPreResourceAccessDetails;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.util.ICachedSearchDetails;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.InstantType;

/**
 * Gives {@code Patient/[id]/$everything} the {@code _since} parameter the FHIR specification defines:
 * only resources last updated at or after the given instant are returned. Telehealth apps use it to
 * fetch only what changed since their last sync over slow links.
 *
 * <p>HAPI's JPA server does not bind {@code _since} (and its {@code _lastUpdated} narrows only the
 * focal Patient, not the compartment), so this interceptor takes the parameter off the request,
 * remembers the instant for the search HAPI registers, and hides older resources from every page of
 * that search, including pages fetched later through {@code _getpages} links. Pages may therefore
 * hold fewer entries than {@code _count}; clients follow {@code next} links as usual.
 *
 * <p>The search-to-instant map lives in this node's memory for as long as search results are kept;
 * on a cluster, page requests must reach the node that ran the first page (sticky sessions).
 */
@Interceptor
public class EverythingSinceInterceptor {

    static final String SINCE = "_since";
    private static final String EVERYTHING = "$everything";
    private static final String REQUEST_KEY = EverythingSinceInterceptor.class.getName() + ".since";

    private final Cache<String, Date> sinceBySearchId;

    /** @param searchRetention how long HAPI keeps a search's result pages available for paging */
    public EverythingSinceInterceptor(Duration searchRetention) {
        this.sinceBySearchId = Caffeine.newBuilder()
                .expireAfterWrite(searchRetention)
                .maximumSize(100_000)
                .build();
    }

    @Hook(Pointcut.SERVER_INCOMING_REQUEST_POST_PROCESSED)
    public boolean takeSinceParameter(RequestDetails request) {
        if (!EVERYTHING.equals(request.getOperation())
                || !request.getParameters().containsKey(SINCE)) {
            return true;
        }
        Map<String, String[]> parameters = new LinkedHashMap<>(request.getParameters());
        String[] since = parameters.remove(SINCE);
        if (since.length != 1) {
            throw new InvalidRequestException("_since may be given only once");
        }
        request.getUserData().put(REQUEST_KEY, parseInstant(since[0]));
        request.setParameters(parameters);
        return true;
    }

    @Hook(Pointcut.STORAGE_PRESEARCH_REGISTERED)
    public void rememberSinceForSearch(
            ICachedSearchDetails search, RequestDetails request, SearchParameterMap parameters) {
        Date since = request == null ? null : (Date) request.getUserData().get(REQUEST_KEY);
        if (since != null && parameters.getEverythingMode() != null) {
            sinceBySearchId.put(search.getUuid(), since);
        }
    }

    @Hook(Pointcut.STORAGE_PREACCESS_RESOURCES)
    public void hideResourcesUpdatedBeforeSince(IPreResourceAccessDetails resources, RequestDetails request) {
        Date since = sinceFor(request);
        if (since == null) {
            return;
        }
        for (int i = 0; i < resources.size(); i++) {
            IBaseResource resource = resources.getResource(i);
            Date updated = resource == null ? null : resource.getMeta().getLastUpdated();
            if (updated != null && updated.before(since)) {
                resources.setDontReturnResourceAtIndex(i);
            }
        }
    }

    private Date sinceFor(RequestDetails request) {
        if (request == null) {
            return null;
        }
        Date since = (Date) request.getUserData().get(REQUEST_KEY);
        if (since != null) {
            return since;
        }
        String[] pageOf = request.getParameters().get(Constants.PARAM_PAGINGACTION);
        return pageOf == null || pageOf.length == 0 ? null : sinceBySearchId.getIfPresent(pageOf[0]);
    }

    private static Date parseInstant(String value) {
        try {
            InstantType instant = new InstantType(value);
            if (instant.getValue() == null || instant.getTimeZone() == null) {
                throw new DataFormatException("no time zone");
            }
            return instant.getValue();
        } catch (DataFormatException | IllegalArgumentException e) {
            throw new InvalidRequestException(
                    "_since must be an instant with a time zone, such as 2024-03-01T10:00:00+05:00; got '" + value
                            + "'");
        }
    }
}

package org.sehathub.server.search;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.interceptor.model.RequestPartitionId;
import ca.uhn.fhir.jpa.model.config.PartitionSettings;
import ca.uhn.fhir.jpa.model.entity.ResourceIndexedSearchParamToken;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.model.api.IQueryParameterType;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.param.TokenParam;
import ca.uhn.fhir.rest.server.util.ICachedSearchDetails;
import java.util.List;
import java.util.Set;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Lookups by identifier ({@code Type?identifier=system|value}) or by id ({@code _id=a,b}) whose
 * matches fit one page are answered at once, as HAPI answers a search sent with {@code
 * Cache-Control: no-store}, instead of being stored for paging first: HAPI writes every search and
 * its result list to {@code hfj_search} in a transaction of its own (a commit, so a flush of the
 * write-ahead log, for each lookup). Measured on the benchmark's 200-patient population: identifier
 * lookups at 8 clients p95 98.4 -> 79.5 ms, at 1 client p50 25 -> 17-20 ms (docs/performance.md,
 * decision 8).
 *
 * <p>HAPI's unstored search returns one page and no {@code next} link, so it is used only when the
 * matches surely fit: an id list no longer than the page, or an identifier whose index rows (counted
 * first, at most a page and one of them) are no more than the page. Any other parameter, or a
 * search HAPI's narrowing or our person expansion has widened into something else, keeps HAPI's
 * stored, pageable search. Runs after {@code mpi.PersonExpansion}, which turns a CNIC lookup into
 * the id list of the person's records.
 */
@Interceptor
public class OnePageLookups {

    /** After {@code PersonExpansion} (order 0) has widened the search. */
    static final int ORDER = 100;

    private static final String IDENTIFIER = "identifier";
    private static final String ID = "_id";

    private final JdbcTemplate jdbc;
    private final PartitionSettings partitionSettings;
    private final int defaultPageSize;
    private final int maxPageSize;

    public OnePageLookups(
            JdbcTemplate jdbc, PartitionSettings partitionSettings, int defaultPageSize, int maxPageSize) {
        this.jdbc = jdbc;
        this.partitionSettings = partitionSettings;
        this.defaultPageSize = defaultPageSize;
        this.maxPageSize = maxPageSize;
    }

    /**
     * @param details the search as HAPI registers it: its type is the type searched, which an
     *     operation's request may not name (a search of Observations made while answering a
     *     request about a Patient)
     */
    @Hook(value = Pointcut.STORAGE_PRESEARCH_REGISTERED, order = ORDER)
    public void answerAtOnce(
            RequestDetails request,
            ICachedSearchDetails details,
            SearchParameterMap search,
            RequestPartitionId partition) {
        if (request == null
                || details == null
                || details.getResourceType() == null
                || search.isLoadSynchronous()
                || search.getEverythingMode() != null
                || search.getLastUpdated() != null
                || search.getOffset() != null
                || search.size() != 1) {
            return;
        }
        // The page the client will get: its _count, capped as the server caps it, else the default.
        int page = Math.min(search.getCount() != null ? search.getCount() : defaultPageSize, maxPageSize);
        List<IQueryParameterType> anyOf = onlyOrList(search);
        if (anyOf == null || page <= 0) {
            return;
        }
        boolean fits = search.containsKey(ID)
                ? anyOf.size() <= page
                : search.containsKey(IDENTIFIER)
                        && identifierMatches(details.getResourceType(), anyOf, partition, page);
        if (fits) {
            search.setLoadSynchronous(true);
        }
    }

    /** The values of the map's one parameter when they are one list of alternatives, else null. */
    private static List<IQueryParameterType> onlyOrList(SearchParameterMap search) {
        String name = search.keySet().iterator().next();
        if (!Set.of(ID, IDENTIFIER).contains(name)) {
            return null;
        }
        List<List<IQueryParameterType>> and = search.get(name);
        if (and.size() != 1 || and.get(0).isEmpty()) {
            return null;
        }
        for (IQueryParameterType value : and.get(0)) {
            if (!(value instanceof TokenParam token)
                    || token.getModifier() != null
                    || token.getMissing() != null
                    || token.getValue() == null
                    || token.getValue().isEmpty()) {
                return null;
            }
        }
        return and.get(0);
    }

    /**
     * Whether the resources carrying these identifiers are no more than a page: index rows counted
     * by HAPI's hash of type, parameter, system and value (a resource listing one identifier twice
     * counts twice, which errs towards paging). Identifiers without a system are not looked up so.
     */
    private boolean identifierMatches(
            String resourceType, List<IQueryParameterType> identifiers, RequestPartitionId partition, int page) {
        Long[] hashes = new Long[identifiers.size()];
        for (int i = 0; i < hashes.length; i++) {
            TokenParam token = (TokenParam) identifiers.get(i);
            if (token.getSystem() == null || token.getSystem().isEmpty()) {
                return false;
            }
            hashes[i] = ResourceIndexedSearchParamToken.calculateHashSystemAndValue(
                    partitionSettings, partition, resourceType, IDENTIFIER, token.getSystem(), token.getValue());
        }
        Integer rows = jdbc.query(
                connection -> {
                    var statement = connection.prepareStatement("SELECT count(*) FROM (SELECT 1 FROM hfj_spidx_token"
                            + " WHERE hash_sys_and_value = ANY (?) LIMIT ?) AS matched");
                    statement.setArray(1, connection.createArrayOf("bigint", hashes));
                    statement.setInt(2, page + 1);
                    return statement;
                },
                result -> result.next() ? result.getInt(1) : null);
        return rows != null && rows <= page;
    }
}

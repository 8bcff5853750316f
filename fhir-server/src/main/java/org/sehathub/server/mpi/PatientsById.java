package org.sehathub.server.mpi;

import ca.uhn.fhir.jpa.api.dao.IFhirResourceDao;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.param.TokenOrListParam;
import ca.uhn.fhir.rest.param.TokenParam;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.hl7.fhir.r4.model.Patient;

/**
 * Reads Patients by id with the caller's rights (consent and facility narrowing apply), in searches
 * of at most one page each: a search made within a client's request is cut to the server's default
 * page size whatever count it asks for, which silently dropped candidates past the twentieth.
 */
final class PatientsById {

    /** Used when the request has no paging provider to ask. */
    private static final int DEFAULT_PAGE = 20;

    private PatientsById() {}

    static List<Patient> read(IFhirResourceDao<Patient> patients, Collection<String> ids, RequestDetails request) {
        int page = pageSize(request);
        List<String> all = List.copyOf(ids);
        List<Patient> found = new ArrayList<>();
        for (int from = 0; from < all.size(); from += page) {
            List<String> chunk = all.subList(from, Math.min(all.size(), from + page));
            TokenOrListParam idList = new TokenOrListParam();
            chunk.forEach(id -> idList.addOr(new TokenParam(id)));
            SearchParameterMap search = SearchParameterMap.newSynchronous().add("_id", idList);
            search.setCount(chunk.size());
            patients.search(search, request).getResources(0, chunk.size()).stream()
                    .map(Patient.class::cast)
                    .forEach(found::add);
        }
        return found;
    }

    private static int pageSize(RequestDetails request) {
        if (request != null
                && request.getServer() != null
                && request.getServer().getPagingProvider() != null) {
            return Math.max(1, request.getServer().getPagingProvider().getDefaultPageSize());
        }
        return DEFAULT_PAGE;
    }
}

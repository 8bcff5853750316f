package org.sehathub.server.mpi;

import ca.uhn.fhir.jpa.api.dao.IFhirResourceDao;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.param.TokenOrListParam;
import ca.uhn.fhir.rest.param.TokenParam;
import java.util.Collection;
import java.util.List;
import org.hl7.fhir.r4.model.Patient;

/** Reads Patients by id in one search, with the caller's rights: consent and facility narrowing apply. */
final class PatientsById {

    private PatientsById() {}

    static List<Patient> read(IFhirResourceDao<Patient> patients, Collection<String> ids, RequestDetails request) {
        if (ids.isEmpty()) {
            return List.of();
        }
        TokenOrListParam idList = new TokenOrListParam();
        ids.forEach(id -> idList.addOr(new TokenParam(id)));
        SearchParameterMap search = SearchParameterMap.newSynchronous().add("_id", idList);
        search.setCount(ids.size());
        return patients.search(search, request).getResources(0, ids.size()).stream()
                .map(Patient.class::cast)
                .toList();
    }
}

package org.sehathub.server.mpi;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.jpa.api.dao.IFhirResourceDao;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.model.api.IQueryParameterType;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.param.TokenOrListParam;
import ca.uhn.fhir.rest.param.TokenParam;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Patient;
import org.sehathub.mappers.NamingSystems;
import org.sehathub.server.security.Caller;

/**
 * The person behind a record, where clients ask for a person:
 *
 * <ul>
 *   <li>{@code Patient/[id]/$everything} returns the history of every record of her person (each
 *       entry from the record it belongs to, the other records' Patients included);
 *       {@code onlyThisRecord=true} restricts it to the record asked for;
 *   <li>{@code Patient?identifier=<CNIC system>|<value>} finds every record of the persons whose
 *       records carry that CNIC, not only those records.
 * </ul>
 *
 * The search is widened before it runs; every entry is still checked with the caller's rights (a
 * hospital sees its facilities' records, an app what consent grants it). Not for a token in a
 * patient's context (SMART App Launch): it is bound to the one record it was issued for.
 */
@Interceptor
public class PersonExpansion {

    /** The {@code $everything} parameter that keeps it to the one record. */
    static final String ONLY_THIS_RECORD = "onlyThisRecord";

    private static final String EVERYTHING = "$everything";
    private static final String REQUEST_KEY = PersonExpansion.class.getName() + ".onlyThisRecord";

    private final PersonLinks links;
    private final IFhirResourceDao<Patient> patients;

    public PersonExpansion(PersonLinks links, IFhirResourceDao<Patient> patients) {
        this.links = links;
        this.patients = patients;
    }

    /** Takes {@code onlyThisRecord} off the request (HAPI's operation does not know it). */
    @Hook(Pointcut.SERVER_INCOMING_REQUEST_POST_PROCESSED)
    public boolean takeOnlyThisRecord(RequestDetails request) {
        if (!EVERYTHING.equals(request.getOperation())
                || !request.getParameters().containsKey(ONLY_THIS_RECORD)) {
            return true;
        }
        Map<String, String[]> parameters = new LinkedHashMap<>(request.getParameters());
        String[] value = parameters.remove(ONLY_THIS_RECORD);
        if (value.length != 1 || !(value[0].equals("true") || value[0].equals("false"))) {
            throw new InvalidRequestException(ONLY_THIS_RECORD + " must be given once, true or false");
        }
        request.getUserData().put(REQUEST_KEY, Boolean.valueOf(value[0]));
        request.setParameters(parameters);
        return true;
    }

    @Hook(Pointcut.STORAGE_PRESEARCH_REGISTERED)
    public void widen(RequestDetails request, SearchParameterMap search) {
        if (request == null
                || request instanceof SystemRequestDetails
                || !"Patient".equals(request.getResourceName())) {
            return;
        }
        if (Caller.current().map(Caller::patient).filter(p -> !p.isBlank()).isPresent()) {
            // A token in a patient's context (SMART launch) is bound to that one record; her other
            // records are outside what it may read.
            return;
        }
        if (search.getEverythingMode() == SearchParameterMap.EverythingModeEnum.PATIENT_INSTANCE) {
            if (!Boolean.TRUE.equals(request.getUserData().get(REQUEST_KEY))) {
                everythingOfThePerson(search);
            }
        } else if (search.getEverythingMode() == null) {
            recordsOfTheCnic(search);
        }
    }

    private void everythingOfThePerson(SearchParameterMap search) {
        List<List<IQueryParameterType>> ids = search.get("_id");
        if (ids == null
                || ids.size() != 1
                || ids.get(0).size() != 1
                || !(ids.get(0).get(0) instanceof TokenParam asked)) {
            return;
        }
        List<String> records = links.samePerson(asked.getValue());
        if (records.size() > 1) {
            search.remove("_id");
            search.add("_id", idList(records));
            // Several records: what HAPI runs for Patient/$everything?_id=a,b (each resource once).
            search.setEverythingMode(SearchParameterMap.EverythingModeEnum.PATIENT_TYPE);
        }
    }

    private void recordsOfTheCnic(SearchParameterMap search) {
        List<List<IQueryParameterType>> identifier = search.get(Patient.SP_IDENTIFIER);
        if (identifier == null
                || identifier.size() != 1
                || identifier.get(0).size() != 1
                || !(identifier.get(0).get(0) instanceof TokenParam token)
                || token.getModifier() != null
                || !NamingSystems.CNIC.equals(token.getSystem())
                || token.getValue() == null) {
            return;
        }
        SearchParameterMap holders = SearchParameterMap.newSynchronous()
                .add(Patient.SP_IDENTIFIER, new TokenParam(token.getSystem(), token.getValue()));
        Set<String> records = new LinkedHashSet<>();
        for (IBaseResource holder :
                patients.search(holders, new SystemRequestDetails()).getAllResources()) {
            records.addAll(links.samePerson(holder.getIdElement().getIdPart()));
        }
        if (records.isEmpty()) {
            return;
        }
        search.remove(Patient.SP_IDENTIFIER);
        search.add("_id", idList(records));
    }

    private static TokenOrListParam idList(Collection<String> ids) {
        TokenOrListParam list = new TokenOrListParam();
        ids.forEach(id -> list.addOr(new TokenParam(id)));
        return list;
    }
}

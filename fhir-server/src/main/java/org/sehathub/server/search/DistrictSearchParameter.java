package org.sehathub.server.search;

import ca.uhn.fhir.batch2.api.IJobCoordinator;
import ca.uhn.fhir.batch2.jobs.reindex.ReindexJobParameters;
import ca.uhn.fhir.batch2.jobs.reindex.ReindexUtils;
import ca.uhn.fhir.batch2.model.JobInstanceStartRequest;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.dao.IFhirResourceDao;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import ca.uhn.fhir.rest.server.util.ISearchParamRegistry;
import java.util.List;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.Enumerations;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.SearchParameter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code district} search parameter, which R4 does not define: {@code Patient?district=},
 * {@code Location?district=}, {@code Organization?district=} on {@code Address.district} (as the
 * normalizer writes it), and through them {@code Encounter?location.district=} and {@code
 * Encounter?subject:Patient.district=}. Stored as the SearchParameter resource {@code
 * SearchParameter/sehat-district} when the server starts, if it is missing or differs, and then
 * HAPI's reindex job is started for those types, so data stored before is found too.
 */
public class DistrictSearchParameter {

    private static final Logger log = LoggerFactory.getLogger(DistrictSearchParameter.class);

    static final String ID = "sehat-district";
    static final String URL = "https://fhir.sehathub.pk/SearchParameter/district";
    static final String EXPRESSION =
            "Patient.address.district | Location.address.district" + " | Organization.address.district";

    private final IFhirResourceDao<SearchParameter> searchParameters;
    private final ISearchParamRegistry registry;

    private final IJobCoordinator jobs;

    public DistrictSearchParameter(DaoRegistry daos, ISearchParamRegistry registry, IJobCoordinator jobs) {
        this.searchParameters = daos.getResourceDao(SearchParameter.class);
        this.registry = registry;
        this.jobs = jobs;
    }

    static SearchParameter definition() {
        SearchParameter district = new SearchParameter()
                .setUrl(URL)
                .setName("district")
                .setStatus(Enumerations.PublicationStatus.ACTIVE)
                .setCode("district")
                .setType(Enumerations.SearchParamType.STRING)
                .setExpression(EXPRESSION)
                .setDescription("The district of an address (Address.district), as the source wrote it and the"
                        + " server normalized it (docs/api.md)");
        List.of("Patient", "Location", "Organization").forEach(district::addBase);
        district.setId(ID);
        return district;
    }

    private static List<String> bases(SearchParameter parameter) {
        return parameter.getBase().stream().map(CodeType::getCode).sorted().toList();
    }

    /** Stores the parameter if it is missing or differs; true if it was (re)stored. */
    public boolean ensure() {
        SearchParameter wanted = definition();
        try {
            SearchParameter stored =
                    searchParameters.read(new IdType("SearchParameter", ID), new SystemRequestDetails());
            if (wanted.getExpression().equals(stored.getExpression())
                    && wanted.getStatus() == stored.getStatus()
                    && wanted.getType() == stored.getType()
                    && wanted.getCode().equals(stored.getCode())
                    && bases(wanted).equals(bases(stored))) {
                return false;
            }
        } catch (ResourceNotFoundException | ResourceGoneException e) {
            // missing: stored below
        }
        searchParameters.update(wanted, new SystemRequestDetails());
        registry.forceRefresh();
        // HAPI does not reindex on its own here (a parameter stored again after a delete, or by a
        // request without a client): the reindex job is asked for explicitly.
        ReindexJobParameters parameters = new ReindexJobParameters();
        List.of("Patient?", "Location?", "Organization?").forEach(parameters::addUrl);
        JobInstanceStartRequest reindex = new JobInstanceStartRequest();
        reindex.setJobDefinitionId(ReindexUtils.JOB_REINDEX);
        reindex.setParameters(parameters);
        jobs.startInstance(new SystemRequestDetails(), reindex);
        log.info(
                "search parameter district stored; existing Patients, Locations and Organizations are being reindexed");
        return true;
    }
}

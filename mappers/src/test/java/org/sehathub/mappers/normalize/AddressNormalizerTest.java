package org.sehathub.mappers.normalize;

import static org.assertj.core.api.Assertions.assertThat;

import org.hl7.fhir.r4.model.Address;
import org.hl7.fhir.r4.model.Coding;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AddressNormalizerTest {

    @ParameterizedTest
    @CsvSource({
        "Punjab,PK-PB",
        "PUNJAB,PK-PB",
        "pk-pb,PK-PB",
        "پنجاب,PK-PB",
        "Sindh,PK-SD",
        "Sind,PK-SD",
        "KPK,PK-KP",
        "K.P.K,PK-KP",
        "NWFP,PK-KP",
        "Khyber-Pakhtunkhwa,PK-KP",
        "Baluchistan,PK-BA",
        "ICT,PK-IS",
        "Islamabad Capital Territory,PK-IS",
        "GB,PK-GB",
        "Gilgit Baltistan,PK-GB",
        "AJK,PK-JK",
        "AJ&K,PK-JK",
        "Azad Jammu & Kashmir,PK-JK",
        "Azad Jammu and Kashmir,PK-JK"
    })
    void provinceRecognisesNamesCodesAndAliases(String raw, String iso) {
        assertThat(AddressNormalizer.province(raw)).map(Province::isoCode).contains(iso);
    }

    @Test
    void provinceIsEmptyForSomethingElse() {
        assertThat(AddressNormalizer.province("Lahore")).isEmpty();
        assertThat(AddressNormalizer.province("")).isEmpty();
        assertThat(AddressNormalizer.province(null)).isEmpty();
    }

    @Test
    void normalizeWritesTheProvinceNameWithItsIsoCodingAndCountry() {
        Address address = AddressNormalizer.normalize(new Address().setState("kpk"));
        assertThat(address.getState()).isEqualTo("Khyber Pakhtunkhwa");
        Coding coding = (Coding) address.getStateElement()
                .getExtensionByUrl(AddressNormalizer.STATE_CODING_EXTENSION)
                .getValue();
        assertThat(coding.getSystem()).isEqualTo("urn:iso:std:iso:3166:-2");
        assertThat(coding.getCode()).isEqualTo("PK-KP");
        assertThat(address.getCountry()).isEqualTo("PK");
    }

    @Test
    void normalizeKeepsTheDistrictAndTidiesCityAndDistrict() {
        Address address = AddressNormalizer.normalize(
                new Address().setDistrict("KARACHI  SOUTH").setCity("karachi").addLine("House 12,  Street 5, G-9/4"));
        assertThat(address.getDistrict()).isEqualTo("Karachi South");
        assertThat(address.getCity()).isEqualTo("Karachi");
        assertThat(address.getLine().get(0).getValue()).isEqualTo("House 12, Street 5, G-9/4");
    }

    @Test
    void normalizeKeepsAnUnknownProvinceAsSent() {
        Address address = AddressNormalizer.normalize(new Address().setState("Kabul"));
        assertThat(address.getState()).isEqualTo("Kabul");
        assertThat(address.getStateElement().hasExtension()).isFalse();
        assertThat(address.hasCountry()).isFalse();
    }
}

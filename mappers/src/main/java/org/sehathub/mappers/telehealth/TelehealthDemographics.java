package org.sehathub.mappers.telehealth;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.hl7.fhir.r4.model.Address;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.HumanName;
import org.sehathub.mappers.MappingIssue;
import org.sehathub.mappers.normalize.AddressNormalizer;
import org.sehathub.mappers.normalize.NameNormalizer;
import org.sehathub.mappers.normalize.Province;

/** Names and addresses of a teleconsultation's patient and doctor, as FHIR datatypes. */
final class TelehealthDemographics {

    private TelehealthDemographics() {}

    /** The Latin-script name (tidied) and the Urdu one (exactly as sent), when each is present. */
    static List<HumanName> names(Teleconsultation.Name name) {
        List<HumanName> names = new ArrayList<>();
        if (name.given() != null || name.family() != null || name.prefix() != null) {
            HumanName latin = new HumanName().setUse(HumanName.NameUse.OFFICIAL);
            Optional.ofNullable(name.prefix()).ifPresent(latin::addPrefix);
            Optional.ofNullable(name.given()).ifPresent(latin::addGiven);
            Optional.ofNullable(name.family()).ifPresent(latin::setFamily);
            names.add(NameNormalizer.normalize(latin));
        }
        if (name.urdu() != null) {
            HumanName urdu = new HumanName().setUse(HumanName.NameUse.OFFICIAL).setText(name.urdu());
            urdu.addExtension(new Extension("http://hl7.org/fhir/StructureDefinition/language", new CodeType("ur")));
            names.add(urdu);
        }
        return names;
    }

    /** The address tidied; a province that is not Pakistan's is kept as written, with a warning. */
    static Address address(Teleconsultation.AddressData data, List<MappingIssue> warnings) {
        Address written = new Address().setUse(Address.AddressUse.HOME);
        Optional.ofNullable(data.line()).ifPresent(written::addLine);
        Optional.ofNullable(data.city()).ifPresent(written::setCity);
        Optional.ofNullable(data.district()).ifPresent(written::setDistrict);
        Address address = AddressNormalizer.normalize(written);
        if (data.province() != null) {
            Optional<Province> province = AddressNormalizer.province(data.province());
            if (province.isPresent()) {
                AddressNormalizer.setProvince(address, province.get());
            } else {
                address.setState(data.province().strip());
                warnings.add(MappingIssue.warning(
                        "/patient/address/province", "not a province of Pakistan; kept as written"));
            }
        } else {
            address.setCountry("PK");
        }
        return address;
    }
}

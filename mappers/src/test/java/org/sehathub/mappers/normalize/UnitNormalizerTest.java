package org.sehathub.mappers.normalize;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import org.hl7.fhir.r4.model.Quantity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UnitNormalizerTest {

    @ParameterizedTest
    @CsvSource(
            delimiter = ';',
            value = {
                "mg/dl;mg/dL",
                "MG/DL;mg/dL",
                "mmol/l;mmol/L",
                "g/dl;g/dL",
                "gm/dl;g/dL",
                "x10^9/L;10*9/L",
                "10^12/l;10*12/L",
                "lakh/cumm;10*5/uL",
                "/cumm;/uL",
                "%;%",
                "bpm;/min",
                "breaths/min;/min",
                "mmHg;mm[Hg]",
                "C;Cel",
                "°C;Cel",
                "°F;[degF]",
                "kg;kg",
                "cm;cm",
                "U/L;U/L",
                "IU/L;U/L",
                "uIU/mL;u[IU]/mL",
                "fl;fL",
                "mm/hr;mm/h",
                "/hpf;/[HPF]"
            })
    void mapsCommonLabAndVitalUnitsToUcum(String raw, String ucum) {
        Quantity quantity = UnitNormalizer.toQuantity(new BigDecimal("1.5"), raw);
        assertThat(quantity.getSystem()).isEqualTo("http://unitsofmeasure.org");
        assertThat(quantity.getCode()).isEqualTo(ucum);
        assertThat(quantity.getUnit()).isEqualTo(raw);
        assertThat(quantity.getValue()).isEqualByComparingTo("1.5");
    }

    @Test
    void keepsAnUnknownUnitAsTextOnly() {
        Quantity quantity = UnitNormalizer.toQuantity(BigDecimal.TEN, "tablets");
        assertThat(quantity.getUnit()).isEqualTo("tablets");
        assertThat(quantity.hasSystem()).isFalse();
        assertThat(quantity.hasCode()).isFalse();
        assertThat(UnitNormalizer.ucum("tablets")).isEmpty();
    }

    @Test
    void aQuantityWithoutUnitHasOnlyTheValue() {
        Quantity quantity = UnitNormalizer.toQuantity(new BigDecimal("7.2"), " ");
        assertThat(quantity.hasUnit()).isFalse();
        assertThat(quantity.getValue()).isEqualByComparingTo("7.2");
    }
}

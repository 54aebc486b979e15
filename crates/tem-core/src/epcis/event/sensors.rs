//! Sensor readings, with what the sensor metadata says filled in where a report is silent.

use super::time::date_time;
use crate::epcis::SensorReading;
use crate::epcis::error::{EpcisError, Rule};
use crate::epcis::fields::Fields;
use crate::epcis::identifier;

pub(super) fn sensors(f: &Fields<'_>) -> Result<Vec<SensorReading>, EpcisError> {
    let mut readings = Vec::new();
    for element in f.objects("sensorElementList")? {
        let metadata = element.object("sensorMetadata")?;
        let (meta_time, meta_device) = match &metadata {
            Some(m) => {
                for name in ["startTime", "endTime"] {
                    date_time(m, name)?;
                }
                (date_time(m, "time")?, m.uri("deviceID")?)
            }
            None => (None, None),
        };
        if !element.has("sensorReport") {
            return Err(element.missing("sensorReport"));
        }
        element.non_empty_array("sensorReport")?;
        for report in element.objects("sensorReport")? {
            if let Some(hex) = report.str("hexBinaryValue")?
                && (hex.is_empty() || !hex.bytes().all(|b| b.is_ascii_hexdigit()))
            {
                return Err(report.invalid("hexBinaryValue", hex, Rule::HexBinary));
            }
            readings.push(SensorReading {
                kind: report.required_str("type")?.to_string(),
                time: date_time(&report, "time")?.or_else(|| meta_time.clone()),
                value: report.number("value")?,
                min_value: report.number("minValue")?,
                max_value: report.number("maxValue")?,
                mean_value: report.number("meanValue")?,
                uom: report.str("uom")?.map(str::to_string),
                string_value: report.str("stringValue")?.map(str::to_string),
                boolean_value: report.bool("booleanValue")?,
                uri_value: report.uri("uriValue")?.map(str::to_string),
                exception: report.str("exception")?.map(str::to_string),
                component: report.str("component")?.map(str::to_string),
                device: report
                    .uri("deviceID")?
                    .or(meta_device)
                    .map(identifier::readable),
            });
            for name in ["sDev", "percRank", "percValue"] {
                report.number(name)?;
            }
        }
    }
    Ok(readings)
}

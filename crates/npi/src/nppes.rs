//! The NPPES API answer (version 2.1) turned into a [`RegistryEntry`].

use serde_json::Value;
use surgicase_kernel::Npi;
use surgicase_ports::{NpiKind, RegistryEntry};

/// What a body says about the number asked for.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Parsed {
    Found(RegistryEntry),
    NotFound,
}

/// Reads a 2xx body. `Err` carries a short reason (the body is not quoted: it is untrusted).
pub(crate) fn parse_body(npi: Npi, body: &[u8]) -> Result<Parsed, String> {
    let doc: Value = serde_json::from_slice(body).map_err(|_| "the registry answered non-JSON".to_owned())?;
    if !doc.is_object() {
        return Err("the registry answered an unexpected JSON shape".to_owned());
    }
    if let Some(errors) = doc.get("Errors").and_then(Value::as_array).filter(|e| !e.is_empty()) {
        // An error about the number (invalid, not found) means "unknown"; about anything else,
        // the registry refused our request.
        let about_number =
            errors.iter().all(|e| matches!(text(e, "field").as_deref(), None | Some("number")));
        return if about_number {
            Ok(Parsed::NotFound)
        } else {
            Err("the registry refused the request".to_owned())
        };
    }
    let count = doc.get("result_count").and_then(Value::as_u64);
    let results = doc.get("results").and_then(Value::as_array);
    let Some(results) = results else {
        return match count {
            Some(0) => Ok(Parsed::NotFound),
            _ => Err("the registry answered without results".to_owned()),
        };
    };
    if count == Some(0) {
        return Ok(Parsed::NotFound);
    }
    // Results for another number (never seen, but cheap to rule out) are not ours.
    let ours = results.iter().find(|r| match r.get("number") {
        Some(Value::String(s)) => s.trim() == npi.to_string(),
        Some(Value::Number(n)) => n.as_u64() == Some(npi.get()),
        _ => true,
    });
    match ours {
        Some(result) => entry(npi, result).map(Parsed::Found),
        None => Ok(Parsed::NotFound),
    }
}

fn entry(npi: Npi, result: &Value) -> Result<RegistryEntry, String> {
    let kind = match text(result, "enumeration_type").as_deref() {
        Some("NPI-1") => NpiKind::Individual,
        Some("NPI-2") => NpiKind::Organization,
        _ => return Err("the registry answered an unknown enumeration type".to_owned()),
    };
    let basic = result.get("basic").unwrap_or(&Value::Null);
    let addresses = result.get("addresses").and_then(Value::as_array);
    let address = addresses.and_then(|all| {
        all.iter()
            .find(|a| text(a, "address_purpose").is_some_and(|p| p.eq_ignore_ascii_case("LOCATION")))
            .or_else(|| all.first())
    });
    let address = address.unwrap_or(&Value::Null);
    Ok(RegistryEntry {
        npi,
        kind,
        first_name: text(basic, "first_name"),
        last_name: text(basic, "last_name"),
        organization_name: text(basic, "organization_name"),
        address: text(address, "address_1"),
        city: text(address, "city"),
        state: text(address, "state"),
        zip: text(address, "postal_code"),
    })
}

/// A trimmed, non-empty string field.
fn text(value: &Value, field: &str) -> Option<String> {
    let s = value.get(field)?.as_str()?.trim();
    (!s.is_empty()).then(|| s.to_owned())
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn npi() -> Npi {
        Npi::from_u64(1234567893).unwrap()
    }

    fn parse(doc: Value) -> Result<Parsed, String> {
        parse_body(npi(), doc.to_string().as_bytes())
    }

    #[test]
    fn an_individual_with_a_location_address() {
        let doc = json!({"result_count": 1, "results": [{
            "number": "1234567893", "enumeration_type": "NPI-1",
            "basic": {"first_name": "JANE", "last_name": "O'CONNOR ", "credential": "MD"},
            "addresses": [
                {"address_purpose": "MAILING", "address_1": "PO BOX 1", "city": "X", "state": "TX", "postal_code": "1"},
                {"address_purpose": "LOCATION", "address_1": "1 MAIN ST", "city": "AUSTIN", "state": "TX", "postal_code": "787011234"}
            ]
        }]});
        let expected = RegistryEntry {
            npi: npi(),
            kind: NpiKind::Individual,
            first_name: Some("JANE".into()),
            last_name: Some("O'CONNOR".into()),
            organization_name: None,
            address: Some("1 MAIN ST".into()),
            city: Some("AUSTIN".into()),
            state: Some("TX".into()),
            zip: Some("787011234".into()),
        };
        assert_eq!(parse(doc), Ok(Parsed::Found(expected)));
    }

    #[test]
    fn an_organisation_without_location_takes_the_first_address() {
        let doc = json!({"result_count": 1, "results": [{
            "number": 1234567893, "enumeration_type": "NPI-2",
            "basic": {"organization_name": "ST MARY ASC LLC", "first_name": ""},
            "addresses": [{"address_purpose": "MAILING", "address_1": "2 ELM", "city": "DALLAS"}]
        }]});
        let Ok(Parsed::Found(found)) = parse(doc) else { panic!("not found") };
        assert_eq!(found.kind, NpiKind::Organization);
        assert_eq!(found.organization_name.as_deref(), Some("ST MARY ASC LLC"));
        assert_eq!(found.first_name, None);
        assert_eq!((found.address.as_deref(), found.city.as_deref()), (Some("2 ELM"), Some("DALLAS")));
        assert_eq!((found.state, found.zip), (None, None));
    }

    #[test]
    fn unknown_numbers_and_bad_bodies() {
        let table: Vec<(Value, Result<(), ()>)> = vec![
            (json!({"result_count": 0, "results": []}), Ok(())),
            (json!({"result_count": 0}), Ok(())),
            (json!({"Errors": [{"description": "Invalid NPI", "field": "number", "number": "04"}]}), Ok(())),
            (json!({"Errors": [{"description": "No valid search criteria"}]}), Ok(())),
            (
                json!({"result_count": 1, "results": [{"number": "1245319599", "enumeration_type": "NPI-1"}]}),
                Ok(()),
            ),
            (json!({"Errors": [{"description": "Unsupported version", "field": "version"}]}), Err(())),
            (json!({"result_count": 1, "results": [{"enumeration_type": "NPI-3"}]}), Err(())),
            (json!({"result_count": 1}), Err(())),
            (json!({}), Err(())),
            (json!([]), Err(())),
        ];
        for (doc, expected) in table {
            let got = parse(doc.clone()).map(|p| assert_eq!(p, Parsed::NotFound, "{doc}")).map_err(|_| ());
            assert_eq!(got, expected, "{doc}");
        }
        assert!(parse_body(npi(), b"<html>busy</html>").is_err());
    }
}

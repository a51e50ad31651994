//! How a location and a device are named for people.

use keepwatch_api::Location;

/// `"São Paulo, Brazil"`, `"Brazil"`, or `"Unknown location"`: never a guess beyond what the
/// geolocation said.
pub(crate) fn place_name(location: &Location) -> String {
    let city =
        non_empty(location.city.as_deref()).or_else(|| non_empty(location.region.as_deref()));
    let country = non_empty(location.country.as_deref())
        .or_else(|| non_empty(location.country_code.as_deref()));
    match (city, country) {
        (Some(city), Some(country)) => format!("{city}, {country}"),
        (Some(only), None) | (None, Some(only)) => only.to_owned(),
        (None, None) => "Unknown location".to_owned(),
    }
}

fn non_empty(text: Option<&str>) -> Option<&str> {
    text.map(str::trim).filter(|t| !t.is_empty())
}

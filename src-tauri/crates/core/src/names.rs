//! Names as a marketer reads them, for values that exports write as codes.
//!
//! Exports name categories three ways: a dotted code (REES46's
//! `category_code`, "appliances.environment.water_heater"), a path with `>`
//! (Merchant Center's `product_type`, "Church Supplies > Giving Technology"),
//! or only an id (REES46's 19-digit `category_id` on rows without a code). The
//! stored value stays what the export wrote, so rules match it exactly; these
//! functions only name it for screens and copy.

/// A category's readable path, "Appliances › Environment › Water heater";
/// `None` for a bare id, which no row of the data names.
pub fn category_name(raw: &str) -> Option<String> {
    let parts = category_parts(raw)?;
    Some(parts.join(" › "))
}

/// The last level alone, "Water heater": what an ad says about the product.
pub fn category_leaf(raw: &str) -> Option<String> {
    category_parts(raw)?.pop()
}

/// Always something to show: the name, or the id said to be one.
pub fn category_label(raw: &str) -> String {
    category_name(raw).unwrap_or_else(|| format!("Category {} (no name in the data)", raw.trim()))
}

fn category_parts(raw: &str) -> Option<Vec<String>> {
    let raw = raw.trim();
    if raw.is_empty() || raw.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    if raw.contains('>') {
        let parts: Vec<String> = raw
            .split('>')
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .map(str::to_string)
            .collect();
        return (!parts.is_empty()).then_some(parts);
    }
    let is_code = raw
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '.');
    if !is_code {
        return Some(vec![raw.to_string()]);
    }
    let parts: Vec<String> = raw
        .split('.')
        .filter(|p| !p.is_empty())
        .map(|p| sentence_case(&p.replace('_', " ")))
        .collect();
    (!parts.is_empty()).then_some(parts)
}

fn sentence_case(words: &str) -> String {
    let mut chars = words.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Products listed together that share a title get their own id after it
/// ("apple smartphone · 1005115"), so two rows never read the same. `rows`
/// holds each product's (external id, title); the titles are changed in place.
pub fn tell_apart<'a>(rows: impl IntoIterator<Item = (&'a str, &'a mut String)>) {
    let rows: Vec<(&str, &mut String)> = rows.into_iter().collect();
    let mut seen: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for (_, title) in &rows {
        *seen.entry(title.to_lowercase()).or_default() += 1;
    }
    for (id, title) in rows {
        if seen[&title.to_lowercase()] > 1 {
            title.push_str(" · ");
            title.push_str(id);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn categories_read_as_names() {
        let cases = [
            (
                "appliances.environment.water_heater",
                Some("Appliances › Environment › Water heater"),
                Some("Water heater"),
            ),
            (
                "electronics.smartphone",
                Some("Electronics › Smartphone"),
                Some("Smartphone"),
            ),
            ("apparel", Some("Apparel"), Some("Apparel")),
            (
                "Church Supplies > Giving Technology > NFC Plates",
                Some("Church Supplies › Giving Technology › NFC Plates"),
                Some("NFC Plates"),
            ),
            ("Cameras", Some("Cameras"), Some("Cameras")),
            ("2053013555631882655", None, None),
            ("  ", None, None),
        ];
        for (raw, name, leaf) in cases {
            assert_eq!(category_name(raw).as_deref(), name, "{raw}");
            assert_eq!(category_leaf(raw).as_deref(), leaf, "{raw}");
        }
        assert_eq!(
            category_label("2053013555631882655"),
            "Category 2053013555631882655 (no name in the data)"
        );
        assert_eq!(
            category_label("electronics.audio.headphone"),
            "Electronics › Audio › Headphone"
        );
    }

    #[test]
    fn shared_titles_are_told_apart_and_unique_ones_left_alone() {
        let mut rows = [
            ("1005115".to_string(), "apple smartphone".to_string()),
            ("4804056".to_string(), "apple headphone".to_string()),
            ("1004856".to_string(), "Apple smartphone".to_string()),
        ];
        tell_apart(rows.iter_mut().map(|(id, t)| (id.as_str(), t)));
        let titles: Vec<&str> = rows.iter().map(|(_, t)| t.as_str()).collect();
        assert_eq!(
            titles,
            [
                "apple smartphone · 1005115",
                "apple headphone",
                "Apple smartphone · 1004856"
            ]
        );
    }
}

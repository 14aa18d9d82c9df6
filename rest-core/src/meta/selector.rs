//! `LabelSelector` and the selector requirements, with the conversion to the query string
//! form (`app=web,tier in (a,b)`) that `ListOptions::label_selector` takes.

use super::Map;

use serde::{Deserialize, Serialize};

/// A label query; `matchLabels` and `matchExpressions` are ANDed. Empty matches everything.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LabelSelector {
    /// Requirements on labels, ANDed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub match_expressions: Option<Vec<LabelSelectorRequirement>>,
    /// `key: value` pairs, each equivalent to an `In` requirement with one value.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub match_labels: Option<Map<String, String>>,
}

/// `key operator values`; operators are `In`, `NotIn`, `Exists` and `DoesNotExist`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LabelSelectorRequirement {
    /// The label key.
    #[serde(default)]
    pub key: String,
    /// `In`, `NotIn`, `Exists` or `DoesNotExist`.
    #[serde(default)]
    pub operator: String,
    /// Non-empty for `In`/`NotIn`, empty for `Exists`/`DoesNotExist`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub values: Option<Vec<String>>,
}

/// `key operator values` over fields; operators are `In`, `NotIn`, `Exists`, `DoesNotExist`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldSelectorRequirement {
    /// The field selector key.
    #[serde(default)]
    pub key: String,
    /// `In`, `NotIn`, `Exists` or `DoesNotExist`.
    #[serde(default)]
    pub operator: String,
    /// Non-empty for `In`/`NotIn`, empty for `Exists`/`DoesNotExist`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub values: Option<Vec<String>>,
}

/// A `LabelSelector` that has no string form.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SelectorError {
    #[error("label selector: unknown operator {operator:?} for key {key:?} (use In, NotIn, Exists or DoesNotExist)")]
    UnknownOperator { key: String, operator: String },
    #[error("label selector: operator {operator} for key {key:?} needs at least one value")]
    MissingValues { key: String, operator: String },
    #[error("label selector: operator {operator} for key {key:?} takes no values")]
    UnexpectedValues { key: String, operator: String },
}

impl LabelSelector {
    /// A selector matching these exact labels.
    pub fn from_labels<K: Into<String>, V: Into<String>>(
        labels: impl IntoIterator<Item = (K, V)>,
    ) -> Self {
        LabelSelector {
            match_labels: Some(
                labels
                    .into_iter()
                    .map(|(k, v)| (k.into(), v.into()))
                    .collect(),
            ),
            match_expressions: None,
        }
    }

    /// The query-string form, as client-go's `LabelSelectorAsSelector(..).String()`:
    /// requirements sorted by key, values sorted, `k=v`, `k in (a,b)`, `k notin (a)`, `k`, `!k`.
    pub fn to_selector_string(&self) -> Result<String, SelectorError> {
        let mut parts: Vec<(String, String)> = Vec::new();
        for (key, value) in self.match_labels.iter().flatten() {
            parts.push((key.clone(), format!("{key}={value}")));
        }
        for req in self.match_expressions.iter().flatten() {
            let mut values: Vec<&str> = req.values.iter().flatten().map(String::as_str).collect();
            values.sort_unstable();
            let key = &req.key;
            let needs_values = match req.operator.as_str() {
                "In" | "NotIn" => true,
                "Exists" | "DoesNotExist" => false,
                _ => {
                    return Err(SelectorError::UnknownOperator {
                        key: key.clone(),
                        operator: req.operator.clone(),
                    })
                }
            };
            if needs_values && values.is_empty() {
                return Err(SelectorError::MissingValues {
                    key: key.clone(),
                    operator: req.operator.clone(),
                });
            }
            if !needs_values && !values.is_empty() {
                return Err(SelectorError::UnexpectedValues {
                    key: key.clone(),
                    operator: req.operator.clone(),
                });
            }
            let text = match req.operator.as_str() {
                "In" => format!("{key} in ({})", values.join(",")),
                "NotIn" => format!("{key} notin ({})", values.join(",")),
                "Exists" => key.clone(),
                _ => format!("!{key}"),
            };
            parts.push((key.clone(), text));
        }
        // Stable sort: for one key, labels come before expressions, as client-go orders them.
        parts.sort_by(|a, b| a.0.cmp(&b.0));
        Ok(parts
            .into_iter()
            .map(|(_, text)| text)
            .collect::<Vec<_>>()
            .join(","))
    }
}

//! A plain OpenAPI 3 document (`petstore-expanded.json` of the corpus) gives a typed client
//! for every operation, in a module that says it is no Kubernetes group. The client is checked
//! in (`tests/petstore/generated.rs`, `BLESS=1` rewrites it), compiled here, and runs every
//! operation against a small pet store server, errors included.

#[deny(warnings)]
// Generated items the test does not use.
#[allow(dead_code)]
#[rustfmt::skip]
#[path = "petstore/generated.rs"]
mod generated;

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::{Arc, Mutex};

use axum::extract::{Path as UrlPath, Query, State};
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Json, Router};
use client_gen::settings::Layout;
use client_gen::Settings;
use generated::swagger_petstore::{ApiError, NewPet, PetsClient};
use rest_core::{Config, RestClient};
use serde_json::{json, Value};

fn corpus() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/openapi/petstore-expanded.json")
}

#[test]
fn the_checked_in_client_is_what_client_gen_makes() {
    let settings = Settings {
        layout: Layout::SingleFile,
        ..Settings::default()
    };
    let out = client_gen::generate_files(&[&corpus()], &settings).unwrap();
    assert!(out.warnings.is_empty(), "{:?}", out.warnings);
    let actual = &out.files[Path::new("generated.rs")];
    assert!(actual.contains("not a Kubernetes API group"), "{actual}");
    assert!(!actual.contains("The core API group"), "{actual}");
    assert!(
        !actual.contains("Clientset"),
        "no Kubernetes group: no Clientset"
    );
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/petstore/generated.rs");
    if std::env::var_os("BLESS").is_some() {
        std::fs::write(&path, actual).unwrap();
    }
    let expected = std::fs::read_to_string(&path).unwrap();
    assert!(
        expected == *actual,
        "tests/petstore/generated.rs is stale; if intended: BLESS=1 cargo test -p client-gen --test petstore"
    );
}

/// The pet store: pets by id, and the queries each call sent.
#[derive(Default)]
struct Store {
    pets: BTreeMap<i64, Value>,
    next: i64,
    queries: Vec<String>,
}

type Shared = Arc<Mutex<Store>>;

fn not_found(id: i64) -> (StatusCode, Json<Value>) {
    (
        StatusCode::NOT_FOUND,
        Json(json!({"code": 404, "message": format!("no pet {id}")})),
    )
}

async fn find_pets(
    State(store): State<Shared>,
    Query(query): Query<Vec<(String, String)>>,
) -> Json<Value> {
    let mut store = store.lock().unwrap();
    let tags: Vec<&String> = query
        .iter()
        .filter(|(k, _)| k == "tags")
        .map(|(_, v)| v)
        .collect();
    let limit = query
        .iter()
        .find(|(k, _)| k == "limit")
        .and_then(|(_, v)| v.parse::<usize>().ok())
        .unwrap_or(usize::MAX);
    let pets: Vec<Value> = store
        .pets
        .values()
        .filter(|p| tags.is_empty() || tags.iter().any(|t| p["tag"] == t.as_str()))
        .take(limit)
        .cloned()
        .collect();
    let text = query
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&");
    store.queries.push(text);
    Json(Value::Array(pets))
}

async fn add_pet(
    State(store): State<Shared>,
    Json(new): Json<Value>,
) -> Result<Json<Value>, (StatusCode, Json<Value>)> {
    let Some(name) = new
        .get("name")
        .and_then(Value::as_str)
        .filter(|n| !n.is_empty())
    else {
        return Err((
            StatusCode::BAD_REQUEST,
            Json(json!({"code": 400, "message": "name is required"})),
        ));
    };
    let mut store = store.lock().unwrap();
    store.next += 1;
    let mut pet = json!({"id": store.next, "name": name});
    if let Some(tag) = new.get("tag") {
        pet["tag"] = tag.clone();
    }
    let id = store.next;
    store.pets.insert(id, pet.clone());
    Ok(Json(pet))
}

async fn find_pet(
    State(store): State<Shared>,
    UrlPath(id): UrlPath<i64>,
) -> Result<Json<Value>, (StatusCode, Json<Value>)> {
    let store = store.lock().unwrap();
    store
        .pets
        .get(&id)
        .cloned()
        .map(Json)
        .ok_or_else(|| not_found(id))
}

async fn delete_pet(
    State(store): State<Shared>,
    UrlPath(id): UrlPath<i64>,
) -> Result<StatusCode, (StatusCode, Json<Value>)> {
    let mut store = store.lock().unwrap();
    match store.pets.remove(&id) {
        Some(_) => Ok(StatusCode::NO_CONTENT),
        None => Err(not_found(id)),
    }
}

/// A pet store under `/v2` (the document's server path), on loopback.
async fn start() -> (String, Shared) {
    let store = Shared::default();
    let app = Router::new()
        .route("/v2/pets", get(find_pets).post(add_pet))
        .route("/v2/pets/{id}", get(find_pet).delete(delete_pet))
        .with_state(store.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await });
    (format!("http://{addr}/v2"), store)
}

#[tokio::test]
async fn every_operation_runs_against_a_pet_store() {
    let (url, store) = start().await;
    let pets = PetsClient::new(RestClient::for_config(&Config::new(&url)).unwrap());

    // addPet: a JSON body in, the typed pet out.
    let rex = pets
        .add_pet(&NewPet {
            name: "Rex".into(),
            tag: Some("dog".into()),
        })
        .await
        .unwrap();
    assert_eq!(
        (rex.id, rex.name.as_str(), rex.tag.as_deref()),
        (1, "Rex", Some("dog"))
    );
    pets.add_pet(&NewPet {
        name: "Tom".into(),
        tag: Some("cat".into()),
    })
    .await
    .unwrap();
    pets.add_pet(&NewPet {
        name: "Kit".into(),
        tag: Some("cat".into()),
    })
    .await
    .unwrap();

    // findPets: query parameters, a list of tags as repeated keys.
    let all = pets.find_pets(None, None).await.unwrap();
    assert_eq!(all.len(), 3);
    let cats = pets
        .find_pets(Some(&["cat".to_owned()]), Some(1))
        .await
        .unwrap();
    assert_eq!(
        cats.iter().map(|p| p.name.as_str()).collect::<Vec<_>>(),
        ["Tom"]
    );
    let both = pets
        .find_pets(Some(&["cat".to_owned(), "dog".to_owned()]), None)
        .await
        .unwrap();
    assert_eq!(both.len(), 3);
    assert_eq!(
        store.lock().unwrap().queries,
        ["", "limit=1&tags=cat", "tags=cat&tags=dog"]
    );

    // find pet by id: a path parameter.
    let tom = pets.find_pet_by_id(2).await.unwrap();
    assert_eq!(tom.name, "Tom");

    // deletePet: a 204 without a body.
    pets.delete_pet(2).await.unwrap();

    // The declared error body, typed.
    match pets.find_pet_by_id(2).await {
        Err(ApiError::Response { status, body }) => {
            assert_eq!(status, 404);
            assert_eq!((body.code, body.message.as_str()), (404, "no pet 2"));
        }
        other => panic!("{other:?}"),
    }
    match pets.delete_pet(2).await {
        Err(ApiError::Response { status: 404, body }) => assert_eq!(body.code, 404),
        other => panic!("{other:?}"),
    }
    match pets
        .add_pet(&NewPet {
            name: String::new(),
            tag: None,
        })
        .await
    {
        Err(ApiError::Response { status: 400, body }) => {
            assert_eq!(body.message, "name is required")
        }
        other => panic!("{other:?}"),
    }

    // No server: the engine's error, not a made-up API error.
    drop(pets);
    let gone = PetsClient::new(
        RestClient::for_config(&Config {
            max_retries: 0,
            ..Config::new("http://127.0.0.1:9/v2")
        })
        .unwrap(),
    );
    match gone.find_pets(None, None).await {
        Err(ApiError::Request(e)) => assert!(e.is_connection(), "{e}"),
        other => panic!("{other:?}"),
    }
}

//! The reconcile: under the finalizer, make the App's ConfigMap and Deployment match its
//! spec (creating them, or repairing drift), set its `Ready` condition and record events;
//! on deletion, delete what it owns.

use rest_core::meta::Map;
use std::sync::Arc;
use std::time::Duration;

use generated::apps::v1::{Deployment, DeploymentSpec};
use generated::core::v1::{
    ConfigMap, ConfigMapVolumeSource, Container, PodSpec, PodTemplateSpec, Volume, VolumeMount,
};
use rest_core::meta::{
    CreateOptions, DeleteOptions, GetOptions, LabelSelector, ObjectMeta, OwnerReference, Patch,
    PatchOptions, UpdateOptions,
};
use rest_core::{Resource, ResourceClient, RestClient};
use rest_runtime::conditions::{condition, set_status_condition, TRUE};
use rest_runtime::events::{EventType, NewEvent, ObjectReference};
use rest_runtime::finalizer::{Event, FinalizerError};
use rest_runtime::{finalizer, Action, Recorder};
use serde_json::json;

use crate::app::{config_map_name, deployment_name, App};

/// The finalizer this operator puts on every App.
pub const FINALIZER: &str = "example.com/cleanup";
/// How often an App is looked at even if nothing changes.
const RESYNC: Duration = Duration::from_secs(300);

/// What every reconcile shares.
pub struct Context {
    pub client: RestClient,
    pub recorder: Recorder,
}

/// The controller's reconcile function.
pub async fn reconcile(
    app: Arc<App>,
    ctx: Arc<Context>,
) -> Result<Action, FinalizerError<rest_core::Error>> {
    let client = ctx.client.clone();
    finalizer(&client, FINALIZER, app, |event| async move {
        match event {
            Event::Apply(app) => apply(&app, &ctx).await,
            Event::Cleanup(app) => cleanup(&app, &ctx).await,
        }
    })
    .await
}

async fn apply(app: &App, ctx: &Context) -> Result<Action, rest_core::Error> {
    let (namespace, name) = names(app);
    let config_maps = ResourceClient::<ConfigMap>::namespaced(&ctx.client, namespace);
    let deployments = ResourceClient::<Deployment>::namespaced(&ctx.client, namespace);

    let want_data = Map::from([("message".to_owned(), app.spec.message.clone())]);
    let cm_name = config_map_name(name);
    match get(&config_maps, &cm_name).await? {
        None => {
            let cm = ConfigMap {
                metadata: owned_meta(app, &cm_name),
                data: Some(want_data),
                ..ConfigMap::default()
            };
            config_maps.create(&cm, &CreateOptions::default()).await?;
            record(
                ctx,
                app,
                "Created",
                "CreateConfigMap",
                format!("created ConfigMap {cm_name}"),
            )
            .await;
        }
        Some(mut live) if live.data.as_ref() != Some(&want_data) => {
            live.data = Some(want_data);
            config_maps.update(&live, &UpdateOptions::default()).await?;
            record(
                ctx,
                app,
                "Updated",
                "UpdateConfigMap",
                format!("set ConfigMap {cm_name} to the spec"),
            )
            .await;
        }
        Some(_) => {}
    }

    let deploy_name = deployment_name(name);
    match get(&deployments, &deploy_name).await? {
        None => {
            let deployment = desired_deployment(app, &deploy_name, &cm_name);
            deployments
                .create(&deployment, &CreateOptions::default())
                .await?;
            record(
                ctx,
                app,
                "Created",
                "CreateDeployment",
                format!("created Deployment {deploy_name}"),
            )
            .await;
        }
        Some(mut live) => {
            if repair(&mut live, app) {
                deployments.update(&live, &UpdateOptions::default()).await?;
                record(
                    ctx,
                    app,
                    "Updated",
                    "UpdateDeployment",
                    format!(
                        "set Deployment {deploy_name} to {} replicas of {}",
                        app.spec.replicas, app.spec.image
                    ),
                )
                .await;
            }
        }
    }

    let mut conditions = app.status.clone().unwrap_or_default().conditions;
    let ready = rest_core::meta::Condition {
        observed_generation: app.metadata.generation,
        ..condition(
            "Ready",
            TRUE,
            "Reconciled",
            format!("ConfigMap {cm_name} and Deployment {deploy_name} match the spec"),
        )
    };
    if set_status_condition(&mut conditions, ready) {
        let patch = Patch::Merge(json!({ "status": { "conditions": conditions } }));
        ResourceClient::<App>::namespaced(&ctx.client, namespace)
            .patch_status(name, &patch, &PatchOptions::default())
            .await?;
    }
    Ok(Action::requeue(RESYNC))
}

/// Deletes what the App owns (the fixture server, like a cluster without a garbage
/// collector, would otherwise keep it), then lets the finalizer go.
async fn cleanup(app: &App, ctx: &Context) -> Result<Action, rest_core::Error> {
    let (namespace, name) = names(app);
    let deleted = [
        delete(
            &ResourceClient::<Deployment>::namespaced(&ctx.client, namespace),
            &deployment_name(name),
        )
        .await?,
        delete(
            &ResourceClient::<ConfigMap>::namespaced(&ctx.client, namespace),
            &config_map_name(name),
        )
        .await?,
    ];
    if deleted.iter().any(|d| *d) {
        record(
            ctx,
            app,
            "Deleted",
            "Cleanup",
            format!(
                "deleted Deployment {} and ConfigMap {}",
                deployment_name(name),
                config_map_name(name)
            ),
        )
        .await;
    }
    Ok(Action::Done)
}

/// Sets the fields this operator owns back to the spec; answers whether any had drifted.
fn repair(live: &mut Deployment, app: &App) -> bool {
    let mut changed = false;
    let spec = live.spec.get_or_insert_with(Default::default);
    if spec.replicas != Some(app.spec.replicas) {
        spec.replicas = Some(app.spec.replicas);
        changed = true;
    }
    let pod = spec.template.spec.get_or_insert_with(Default::default);
    match pod.containers.iter_mut().find(|c| c.name == "app") {
        Some(container) if container.image.as_deref() != Some(app.spec.image.as_str()) => {
            container.image = Some(app.spec.image.clone());
            changed = true;
        }
        Some(_) => {}
        None => {
            pod.containers.push(container(app));
            changed = true;
        }
    }
    changed
}

fn desired_deployment(app: &App, name: &str, config_map: &str) -> Deployment {
    let labels = Map::from([("app.example.com/name".to_owned(), app_name(app).to_owned())]);
    Deployment {
        metadata: owned_meta(app, name),
        spec: Some(Box::new(DeploymentSpec {
            replicas: Some(app.spec.replicas),
            selector: LabelSelector {
                match_labels: Some(labels.clone()),
                ..LabelSelector::default()
            },
            template: PodTemplateSpec {
                metadata: Some(ObjectMeta {
                    labels: Some(labels),
                    ..ObjectMeta::default()
                }),
                spec: Some(Box::new(PodSpec {
                    containers: vec![container(app)],
                    volumes: Some(vec![Volume {
                        name: "config".into(),
                        config_map: Some(ConfigMapVolumeSource {
                            name: Some(config_map.to_owned()),
                            ..ConfigMapVolumeSource::default()
                        }),
                        ..Volume::default()
                    }]),
                    ..PodSpec::default()
                })),
            },
            ..DeploymentSpec::default()
        })),
        ..Deployment::default()
    }
}

fn container(app: &App) -> Container {
    Container {
        name: "app".into(),
        image: Some(app.spec.image.clone()),
        volume_mounts: Some(vec![VolumeMount {
            name: "config".into(),
            mount_path: "/etc/app".into(),
            ..VolumeMount::default()
        }]),
        ..Container::default()
    }
}

/// Metadata of an object the App owns: same namespace, an owner reference marking the App
/// as its controller (which is how the controller maps changes back to the App).
fn owned_meta(app: &App, name: &str) -> ObjectMeta {
    let (namespace, _) = names(app);
    ObjectMeta {
        owner_references: Some(vec![OwnerReference {
            api_version: App::API_VERSION.to_owned(),
            kind: App::KIND.to_owned(),
            name: app_name(app).to_owned(),
            uid: app.metadata.uid.clone().unwrap_or_default(),
            controller: Some(true),
            block_owner_deletion: Some(true),
        }]),
        ..ObjectMeta::namespaced(namespace, name)
    }
}

fn app_name(app: &App) -> &str {
    app.metadata.name.as_deref().unwrap_or_default()
}

fn names(app: &App) -> (&str, &str) {
    (
        app.metadata.namespace.as_deref().unwrap_or("default"),
        app_name(app),
    )
}

async fn get<K: Resource>(
    api: &ResourceClient<K>,
    name: &str,
) -> Result<Option<K>, rest_core::Error> {
    match api.get(name, &GetOptions::default()).await {
        Ok(obj) => Ok(Some(obj)),
        Err(e) if e.is_not_found() => Ok(None),
        Err(e) => Err(e),
    }
}

/// Deletes `name`; answers whether it was there.
async fn delete<K: Resource>(
    api: &ResourceClient<K>,
    name: &str,
) -> Result<bool, rest_core::Error> {
    match api.delete(name, &DeleteOptions::default()).await {
        Ok(_) => Ok(true),
        Err(e) if e.is_not_found() => Ok(false),
        Err(e) => Err(e),
    }
}

/// Records a Normal event about the App; a failure to record is logged, not a failed reconcile.
async fn record(ctx: &Context, app: &App, reason: &str, action: &str, note: String) {
    let event = NewEvent {
        type_: EventType::Normal,
        reason: reason.to_owned(),
        action: action.to_owned(),
        note: Some(note),
        related: None,
    };
    if let Err(e) = ctx.recorder.publish(&ObjectReference::to(app), event).await {
        tracing::warn!(error = %e, "could not record an event");
    }
}

//! The OpenAPI document's frame: title, bearer security, and a description for every response,
//! which OpenAPI 3.1 requires and generated clients turn into their docstrings.

use utoipa::openapi::OpenApi;
use utoipa::openapi::path::Operation;

use super::error::ErrorBody;

#[derive(utoipa::OpenApi)]
#[openapi(
    info(title = "Strongbox API", description = "Secrets on Juju's model: user secrets, grants, revisions, and applications reading what they were granted."),
    components(schemas(ErrorBody)),
    modifiers(&BearerAuth)
)]
pub(super) struct ApiDoc;

struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, openapi: &mut OpenApi) {
        use utoipa::openapi::security::{
            Http, HttpAuthScheme, SecurityRequirement, SecurityScheme,
        };
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(Http::new(HttpAuthScheme::Bearer)),
        );
        openapi.security = Some(vec![SecurityRequirement::new(
            "bearer",
            Vec::<String>::new(),
        )]);
    }
}

/// What each status means across the API; a handler's own description, where it gives one,
/// stays.
fn meaning(status: &str) -> &'static str {
    match status {
        "200" => "Done; the body holds the result.",
        "201" => "Created; the body names what was made.",
        "204" => "Done; no body.",
        "400" => "The request is malformed: a bad cursor, query value or JSON body.",
        "401" => "No valid bearer token: missing, unknown, expired or revoked.",
        "403" => "The caller's role does not allow this. The refusal is audited.",
        "404" => {
            "No such model, secret, revision, application, user or token, or one the caller may not see."
        }
        "409" => "The request conflicts with what exists: a name in use, or a stale revision.",
        "413" => "The body is larger than the server accepts.",
        "422" => "The input is not valid; `field` names the part at fault.",
        "429" => "Too many attempts; wait for the time in `Retry-After`.",
        _ => "See the error body's `error` and `message`.",
    }
}

/// Gives every response without a description the status's meaning, and documents on every
/// operation the malformed-input answers every route can give (400, and 422 where a body is
/// taken) with the error body, so that the contract test checks their shape too.
pub(super) fn describe_responses(doc: &mut OpenApi) {
    for item in doc.paths.paths.values_mut() {
        let operations: [&mut Option<Operation>; 5] = [
            &mut item.get,
            &mut item.put,
            &mut item.post,
            &mut item.delete,
            &mut item.patch,
        ];
        for operation in operations.into_iter().flatten() {
            let mut rejections = vec!["400"];
            if operation.request_body.is_some() {
                rejections.push("422");
            }
            for status in rejections {
                operation
                    .responses
                    .responses
                    .entry(status.to_owned())
                    .or_insert_with(|| error_response(status));
            }
            for (status, response) in operation.responses.responses.iter_mut() {
                if let utoipa::openapi::RefOr::T(response) = response
                    && response.description.is_empty()
                {
                    response.description = meaning(status).to_owned();
                }
            }
        }
    }
}

/// A response of the documented error body.
fn error_response(status: &str) -> utoipa::openapi::RefOr<utoipa::openapi::Response> {
    use utoipa::openapi::{ContentBuilder, Ref, ResponseBuilder};
    let body = ContentBuilder::new()
        .schema(Some(Ref::from_schema_name("ErrorBody")))
        .build();
    ResponseBuilder::new()
        .description(meaning(status))
        .content("application/json", body)
        .build()
        .into()
}

"""One router per area of the service (`router = APIRouter(tags=[...])`), included by the app factory
(`xwalk.api.app`) in the order the OpenAPI document lists them."""

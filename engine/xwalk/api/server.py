"""How uvicorn runs the service (`xwalk serve`)."""

import json

from xwalk.core.settings import Settings


def server_options(settings: Settings) -> dict:
    """uvicorn options that keep the documented errors for requests refused before the app sees them: the HTTP
    parser accepts a request line long enough for any query under the limit (percent-encoded: up to 3 bytes a
    character), and what it still refuses is answered as JSON (413 when too long, 400 otherwise), not plain text."""
    from uvicorn.protocols.http.h11_impl import H11Protocol

    limit = settings.max_request_bytes * 3 + 65_536

    class JsonErrors(H11Protocol):
        def send_400_response(self, msg: str) -> None:
            import h11

            too_long = len(self.conn.trailing_data[0]) >= limit
            status = 413 if too_long else 400
            message = (
                f"the request is larger than the {settings.max_request_bytes}-byte limit"
                if too_long
                else "the request is not valid HTTP"
            )
            body = json.dumps({"error": message}).encode()
            headers = [(b"content-type", b"application/json"), (b"connection", b"close")]
            reason = b"Content Too Large" if too_long else b"Bad Request"
            response = h11.Response(status_code=status, headers=headers, reason=reason)
            for event in (response, h11.Data(data=body), h11.EndOfMessage()):
                self.transport.write(self.conn.send(event))
            self.transport.close()

    return {"http": JsonErrors, "h11_max_incomplete_event_size": limit}

import Projections
import LedgerStorage
import HTTPTypes
import Foundation
import Hummingbird
import LedgerCore
import Rules
import ServiceLifecycle

/// The operational routes: `/health` (projection lag per view), `/metrics` (Prometheus text) and the live event feed.
struct OperationsRoutes {
    let api: LedgerAPI

    func register(on router: Router<APIRequestContext>) {
        let api = self.api
        router.get("/health") { _, _ in
            let all = try api.storage { try api.allHealth() }
            let projections = all.map { health -> JSONValue in
            var projection: JSONObject = [
                "name": .string(health.projection), "checkpoint": .number(Double(health.checkpoint)),
                "head": .number(Double(health.head)), "lag": .number(Double(health.lag)),
                "served_version": .number(Double(health.servedVersion)),
            ]
            if let failure = health.failure {
                projection["failure"] = [
                    "sequence": .number(Double(failure.sequence)), "type": .string(failure.type),
                    "message": .string(failure.message),
                ]
            }
            return .object(projection)
            }
            let ok = all.allSatisfy { $0.failure == nil }
            let head = all.map(\.head).max() ?? 0
            let body: JSONValue = [
                "status": .string(ok ? "ok" : "failing"), "head": .number(Double(head)), "projections": .array(projections),
            ]
            return JSONResponses.json(body, status: ok ? .ok : .serviceUnavailable, sequence: head)
        }
        router.get("/metrics") { _, _ in
            let all = try api.storage { try api.allHealth() }
            let text = api.metrics.exposition(projectionLag: all.map { ($0.projection, $0.checkpoint, $0.head) })
            return JSONResponses.bytes(Array(text.utf8), contentType: "text/plain; version=0.0.4; charset=utf-8")
        }
        router.get("/v1/feed") { request, _ in
            let head = try api.storage { try api.log.head().sequence }
            let lastEventID = request.headers[HTTPField.Name("Last-Event-ID")!].flatMap { UInt64($0) }
            let from = try request.queryInt("from", range: 1...Int.max).map(UInt64.init) ?? lastEventID.map { $0 + 1 } ?? head + 1
            let stream = request.query("stream_prefix")
            let limit = try request.queryInt("limit", range: 1...Int.max)
            var headers = HTTPFields()
            headers[.contentType] = "text/event-stream"
            headers[.cacheControl] = "no-cache"
            return Response(
                status: .ok, headers: headers,
                body: ResponseBody { writer in
                    var next = from
                    var idle = 0
                    var sent = 0
                    try await writer.write(ByteBuffer(string: ": runledger feed from sequence \(from)\n\n"))
                    while !Task.isCancelled && !Task.isShuttingDownGracefully && sent < (limit ?? .max) {
                        let events = try api.log.read { try $0.events(from: next, limit: 500) }
                        if events.isEmpty {
                            idle += 1
                            if idle % 300 == 0 { try await writer.write(ByteBuffer(string: ": keep-alive\n\n")) }
                            try await Task.sleep(for: .milliseconds(50))
                            continue
                        }
                        idle = 0
                        var text = ""
                        for e in events where stream.map({ e.stream.hasPrefix($0) }) ?? true {
                            next = e.sequence + 1
                            guard sent < (limit ?? .max) else { break }
                            text += "id: \(e.sequence)\nevent: \(e.type)\ndata: \(EventJSON.event(e).serialized())\n\n"
                            sent += 1
                        }
                        if sent < (limit ?? .max) { next = events.last!.sequence + 1 }
                        if !text.isEmpty { try await writer.write(ByteBuffer(string: text)) }
                    }
                    try await writer.finish(nil)
                })
        }
    }
}

import Crypto
import Foundation
import JWTKit

/// Claims the tests sign; nil fields are left out of the token.
struct TestClaims: JWTPayload {
    /// An e-group claim as an array or as one comma-separated string.
    enum Groups: Encodable, Decodable {
        case array([String])
        case text(String)

        init(from decoder: any Decoder) throws {
            let c = try decoder.singleValueContainer()
            if let a = try? c.decode([String].self) { self = .array(a) } else { self = .text(try c.decode(String.self)) }
        }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.singleValueContainer()
            switch self {
            case .array(let a): try c.encode(a)
            case .text(let t): try c.encode(t)
            }
        }
    }

    var email: String?
    var egroups: Groups?
    var name: String?
    var iss: String?
    var aud: [String]?
    var exp: Double?
    var nbf: Double?

    func verify(using algorithm: some JWTAlgorithm) async throws {}

    /// Claims for `email` valid from a minute ago for an hour.
    static func valid(email: String = "jane.doe@cern.ch", groups: Groups? = nil) -> TestClaims {
        let now = Date().timeIntervalSince1970
        return TestClaims(email: email, egroups: groups, name: "Jane Doe", iss: nil, aud: nil, exp: now + 3600, nbf: now - 60)
    }
}

/// Keys and signing helpers for the token tests.
enum TestKeys {
    static let secret = "a-test-secret-that-is-long-enough-for-hs256"
    static let otherSecret = "another-secret-that-is-also-long-enough-x"

    /// Signs `claims` with an HS256 `secret` under `kid`.
    static func hs256(_ claims: TestClaims, secret: String = TestKeys.secret, kid: String = "hs") async throws -> String {
        let keys = JWTKeyCollection()
        await keys.add(hmac: HMACKey(from: secret), digestAlgorithm: .sha256, kid: JWKIdentifier(string: kid))
        return try await keys.sign(claims, kid: JWKIdentifier(string: kid))
    }

    /// Signs `claims` with an RS256 private key under `kid`.
    static func rs256(_ claims: TestClaims, kid: String = "rs") async throws -> String {
        let keys = JWTKeyCollection()
        await keys.add(rsa: try Insecure.RSA.PrivateKey(pem: rsaPrivatePEM), digestAlgorithm: .sha256,
                       kid: JWKIdentifier(string: kid))
        return try await keys.sign(claims, kid: JWKIdentifier(string: kid))
    }

    /// Signs `claims` with an ES256 private key under `kid`.
    static func es256(_ claims: TestClaims, key: ES256PrivateKey, kid: String = "ec") async throws -> String {
        let keys = JWTKeyCollection()
        await keys.add(ecdsa: key, kid: JWKIdentifier(string: kid))
        return try await keys.sign(claims, kid: JWKIdentifier(string: kid))
    }

    /// A 2048-bit RSA key made for these tests only.
    static let rsaPrivatePEM = """
-----BEGIN PRIVATE KEY-----
MIIEvAIBADANBgkqhkiG9w0BAQEFAASCBKYwggSiAgEAAoIBAQDWJhS+3bjsq432
oAHbu2knWp/bWvosMvmEPZM3k+MgEeqLrmPgCwZqJJtIv8f9RWNNNYkav+FvEowD
I25rvFUt7clgeKk55Sz9BCeMz6f3s0HVeKAG5E6yabrVqMgRybsM0Eq6CPQNCHlS
tyq7dRWCZi1MwLZGNamnDaMhk8GCUqHwfbogCdS7YspOcCbWr2bduTg3h53Xdk7A
ScmyP4YAgEsxGSvRiH47VwPYRjL3oWfGFFDGEWsO4QgQKQFidlKRTVh334+JmF/5
ieAV5/UvixhxLl03YB1fMqazvGUXwfuZh4kC/lTYK0JFoj4cMJu7E8AW9WROWN5p
Ukz+UjPjAgMBAAECggEAGvOjqcVC/bpg/W30PeuPgkNJb4nlhtmK22YFLg9VRwHU
6JaJUwxgLCIGTyN1RT7N5CI9lVnFQr2X/y8e5Gf0D889CIC3H6Zka/BGwACZ4wwI
WEMRtOcCsTlVqTKlrM4cVgetrU3s1T/Am99EqAobgRQLVdJtPlczo7w3e0WFgGQF
3+kHALON4EriRH28htYLaz53RITdfIT0luS8hSEJZsxADhqhfTIJyioNGktuxgkR
xhtQQKCawyjVHXfQw15P4maJvjYKRGHRZYxYxLxsNNGuH9iitwMgtnLvpDv67jzJ
Iy6JZN39exu7skMf7iZz//mQCdHXi28LCNEn6R7SMQKBgQD8nphCXKd5DbAdWITb
QEDANm1yZTkzFswNg6IAu1Qcz/JyORk16VNevvEhm5llbRaq2426VvrykMwBC7V4
+x3l/vdSTjJp+dTtN0FUJhMqwD4wzrUlfiwQAGQPpEzD5p6jJizfTxdeSA9EvB34
AXQ2sqB4mmyF7qZ9Fnvl+AKkEQKBgQDZA7ItJy1pUvkrakxTzMVfEU1MYj4MxTa8
dZVCLJTFBLLxCZZFVi6LJyIlqOaPniboVOnStxaSh5o5sm1kAG8etqBIAsXVEv3E
1KJjtcZ+p7V4jTxp9S6zoQp6jXF8nO8T3AGVcuNWJOPNuCaFH0K4EJ8addbpJUBD
NiST/S28swKBgD7abuPEDd8uqq0CgzvSBspMQHr/+HVfrLGIGNy5vznT+2y0DDO/
tACU3YYRIt97fvJP4jmEvrdvk3KHKUXKpSu+fma6Eg0QHgxPfS+ksYwnfNHD/Iox
lGD+1+aUaI0tajcJnoyJLzVEFJhzfblhEzswwoB/W5UPRdlFqNoVFQMhAoGAKmlW
gQyPC25z09BKanYyfIndGXh5t/Uy5VH1gaFE0dxBPGorPBHDtt5HBiUkKh02bWFq
8QtnFev6cBw21Lxg+xel62zfTO0RO05zDhmQWWBdTtoLXInWPrTSX3EVJM1my/LL
PHHfjA5ZlvLOVGXvnBljfsBY5+enz3rdWy63qZECgYBGCWkrT6Mos7inOFSi8Qyi
FX2cTLP3f5PpjVcmPfQkP4iwMwB3fSZnb6muMqMMqE5UQbX9fYKUxZTTQpv4WMjH
ml6GflUsjX+lvCaUXrtHd1X9rGr7u4bQVxkllyqXIzkjaCMyNFDJil6X/w6wuW9Z
QCXXkKH3nAial0yIvhO6ow==
-----END PRIVATE KEY-----
"""

    /// The public half of ``rsaPrivatePEM``.
    static let rsaPublicPEM = """
-----BEGIN PUBLIC KEY-----
MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA1iYUvt247KuN9qAB27tp
J1qf21r6LDL5hD2TN5PjIBHqi65j4AsGaiSbSL/H/UVjTTWJGr/hbxKMAyNua7xV
Le3JYHipOeUs/QQnjM+n97NB1XigBuROsmm61ajIEcm7DNBKugj0DQh5Urcqu3UV
gmYtTMC2RjWppw2jIZPBglKh8H26IAnUu2LKTnAm1q9m3bk4N4ed13ZOwEnJsj+G
AIBLMRkr0Yh+O1cD2EYy96FnxhRQxhFrDuEIECkBYnZSkU1Yd9+PiZhf+YngFef1
L4sYcS5dN2AdXzKms7xlF8H7mYeJAv5U2CtCRaI+HDCbuxPAFvVkTljeaVJM/lIz
4wIDAQAB
-----END PUBLIC KEY-----
"""
}

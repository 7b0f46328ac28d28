import DSARKitS3
import Foundation
import Testing

/// The signer against AWS's published Signature Version 4 test suite (credentials
/// `AKIDEXAMPLE`, region `us-east-1`, service `service`, 2015-08-30T12:36:00Z).
@Suite("SigV4 signer")
struct SigV4SignerTests {
    let signer = SigV4Signer(accessKey: "AKIDEXAMPLE", secretKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
                             region: "us-east-1", service: "service")
    let date = Date(timeIntervalSince1970: 1_440_938_160)
    let credential = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request"

    func request(_ method: String = "GET", path: String = "/", query: [(name: String, value: String)] = [],
                 headers: [(name: String, value: String)] = []) -> SigV4Signer.Request {
        SigV4Signer.Request(method: method, path: path, query: query,
                            headers: [("Host", "example.amazonaws.com")] + headers + [("X-Amz-Date", "20150830T123600Z")])
    }

    @Test("get-vanilla: canonical request, string to sign and signature")
    func getVanilla() {
        let vanilla = request()
        #expect(signer.canonicalRequest(vanilla) == """
            GET
            /

            host:example.amazonaws.com
            x-amz-date:20150830T123600Z

            host;x-amz-date
            e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
            """)
        #expect(signer.stringToSign(for: vanilla, at: date) == """
            AWS4-HMAC-SHA256
            20150830T123600Z
            20150830/us-east-1/service/aws4_request
            bb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63
            """)
        #expect(signer.authorization(for: vanilla, at: date) == credential
            + ", SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31")
    }

    @Test("get-vanilla-query-order-key-case: query items sorted by name")
    func queryOrder() {
        let sorted = request(query: [("Param2", "value2"), ("Param1", "value1")])
        #expect(signer.canonicalRequest(sorted).split(separator: "\n", omittingEmptySubsequences: false)[2] == "Param1=value1&Param2=value2")
        #expect(signer.authorization(for: sorted, at: date) == credential
            + ", SignedHeaders=host;x-amz-date, Signature=b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500")
    }

    @Test("get-vanilla-query-order-encoded: names percent-encoded before sorting")
    func queryEncoded() {
        let encoded = request(query: [("Param-3", "Value3"), ("Param", "Value2"), ("\u{1234}", "Value1")])
        #expect(signer.canonicalRequest(encoded).split(separator: "\n", omittingEmptySubsequences: false)[2]
            == "%E1%88%B4=Value1&Param=Value2&Param-3=Value3")
    }

    @Test("get-unreserved: unreserved characters are not encoded")
    func unreserved() {
        let path = "/-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
        #expect(SigV4Signer.uriEncode(path, keepingSlash: true) == path)
        #expect(signer.authorization(for: request(path: path), at: date) == credential
            + ", SignedHeaders=host;x-amz-date, Signature=07ef7494c76fa4850883e2b006601f940f8a34d404d0cfa977f52a65bbf5f24f")
    }

    @Test("post-header-value-case, get-header-key-duplicate, get-header-value-trim: headers")
    func headers() {
        #expect(signer.authorization(for: request("POST", headers: [("My-Header1", "VALUE1")]), at: date) == credential
            + ", SignedHeaders=host;my-header1;x-amz-date, Signature=cdbc9802e29d2942e5e10b5bccfdd67c5f22c7c4e8ae67b53629efa58b974b7d")
        let duplicate = request(headers: [("My-Header1", "value2"), ("My-Header1", "value2"), ("My-Header1", "value1")])
        #expect(signer.authorization(for: duplicate, at: date) == credential
            + ", SignedHeaders=host;my-header1;x-amz-date, Signature=c9d5ea9f3f72853aea855b47ea873832890dbdd183b4468f858259531a5138ea")
        let trimmed = request(headers: [("My-Header1", " value1"), ("My-Header2", "\"a   b   c\"")])
        #expect(signer.authorization(for: trimmed, at: date) == credential
            + ", SignedHeaders=host;my-header1;my-header2;x-amz-date, Signature=acc3ed3afb60bb290fc8d2dd0098b9911fcaa05412b367055dee359757a9c736")
    }

    @Test("An object key is encoded once, slashes kept; the secret never shows in a description")
    func keysAndSecret() {
        #expect(SigV4Signer.uriEncode("calls/2026/l'appel été.wav", keepingSlash: true) == "calls/2026/l%27appel%20%C3%A9t%C3%A9.wav")
        #expect(!"\(signer)".contains("wJalrXUtnFEMI"))
    }
}

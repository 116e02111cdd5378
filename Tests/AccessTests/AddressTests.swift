import Access
import Testing

/// IP literals and CIDR blocks for peers, binds and trusted proxies.
struct AddressTests {
    @Test func literalsParseAndHostNamesDoNot() {
        #expect(IPAddress("127.0.0.1")?.family == .ipv4)
        #expect(IPAddress("::1")?.family == .ipv6)
        #expect(IPAddress("[::1]")?.isLoopback == true)
        #expect(IPAddress("127.8.9.10")?.isLoopback == true)
        for bad in ["localhost", "1.2.3", "256.1.1.1", "01.2.3.4", "1.2.3.4:80", "fe80::1%eth0", ""] {
            #expect(IPAddress(bad) == nil, "\(bad)")
        }
    }

    @Test func ipv4MappedIPv6IsTheIPv4Address() {
        #expect(IPAddress("::ffff:127.0.0.1") == IPAddress("127.0.0.1"))
        #expect(IPAddress("::ffff:10.1.2.3")?.isLoopback == false)
    }

    @Test func cidrBlocksContainTheirAddressesOnly() throws {
        let block = try #require(AddressRange("10.1.0.0/16"))
        #expect(block.contains(try #require(IPAddress("10.1.255.3"))))
        #expect(!block.contains(try #require(IPAddress("10.2.0.1"))))
        let v6 = try #require(AddressRange("fd00::/8"))
        #expect(v6.contains(try #require(IPAddress("fd12::5"))))
        #expect(!v6.contains(try #require(IPAddress("10.1.0.1"))))
        #expect(try #require(AddressRange("10.1.2.3")).contains(try #require(IPAddress("::ffff:10.1.2.3"))))
        #expect(AddressRange("10.0.0.0/33") == nil)
        #expect(AddressRange("10.0.0.0/") == nil)
        #expect(AddressRange("10.0.0.0/+8") == nil)
    }
}

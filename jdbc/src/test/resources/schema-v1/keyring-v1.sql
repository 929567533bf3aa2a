--
-- PostgreSQL database dump
--

\restrict Z5UoaIsBWVWq8Ok5nSWvf1ddioL354z2yfPFrNPi1lLl7l4OMYb8ZE63uos8Pth

-- Dumped from database version 15.18 (Debian 15.18-0+deb12u1)
-- Dumped by pg_dump version 15.18 (Debian 15.18-0+deb12u1)

SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;

--
-- Name: clavis_audit_append_only(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.clavis_audit_append_only() RETURNS trigger
    LANGUAGE plpgsql
    AS $$ BEGIN RAISE EXCEPTION 'clavis_audit is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege'; END $$;


SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- Name: clavis_audit; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.clavis_audit (
    keyring_id uuid NOT NULL,
    seq bigint NOT NULL,
    line text NOT NULL
);


--
-- Name: clavis_key_version; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.clavis_key_version (
    keyring_id uuid NOT NULL,
    name text NOT NULL,
    version integer NOT NULL,
    state text NOT NULL,
    algorithm text NOT NULL,
    exportable boolean NOT NULL,
    generation bigint NOT NULL,
    wrapped bytea,
    row_mac bytea NOT NULL
);


--
-- Name: clavis_keyring; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.clavis_keyring (
    id uuid NOT NULL,
    name text NOT NULL,
    generation bigint NOT NULL,
    protector bytea NOT NULL,
    metadata bytea NOT NULL,
    manifest bytea NOT NULL,
    head_mac bytea NOT NULL
);


--
-- Name: clavis_schema; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.clavis_schema (
    version integer NOT NULL
);


--
-- Data for Name: clavis_audit; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.clavis_audit (keyring_id, seq, line) FROM stdin;
8b549335-44ad-4338-b155-faccaffe440f	1	{"seq":1,"v":2,"gen":1,"time":"2026-12-07T17:28:41.885Z","actor":"root","action":"create","key":"orders#1","details":{"origin":"GENERATED","algorithm":"AES_256"},"prev":"0000000000000000000000000000000000000000000000000000000000000000","mac":"f47c3f9b0c24084eb86b3bd1733719dec6b72891c1c190f0bd59100fc424b1ec"}
8b549335-44ad-4338-b155-faccaffe440f	2	{"seq":2,"v":2,"gen":2,"time":"2026-12-07T17:28:41.920Z","actor":"root","action":"use","key":"orders#1","details":{"reserved":"8","previouslyReserved":"0"},"prev":"f32d884a521a1421c9c395b73e36a25a0c67917f09e427e0a2598987eeb7192f","mac":"d31602eb07ab57767b93c6c39e65e6c69730cec98e00273dc284ef85f1db0030"}
8b549335-44ad-4338-b155-faccaffe440f	3	{"seq":3,"v":2,"gen":3,"time":"2026-12-07T17:28:41.929Z","actor":"root","action":"deprecate","key":"orders#1","details":{"from":"ACTIVE","to":"DEPRECATED","reason":"rotated to #2"},"prev":"d7799ef81c841dfda7b6181fc213dc8751b726fe2c5484825b4cda867ab0a9dd","mac":"5ddaad5ce1972b266d5d2d3b109c9e69f24447ca03ac0f87780f1cc51574e218"}
8b549335-44ad-4338-b155-faccaffe440f	4	{"seq":4,"v":2,"gen":3,"time":"2026-12-07T17:28:41.929Z","actor":"root","action":"rotate","key":"orders#2","details":{"from":"#1","to":"#2","reason":"fixture: first rotation"},"prev":"78102885e4a766a6e1434bbfd8b269591df67cb1c11259dac32610bfff9c5e7f","mac":"379736b5610068b4f33ba84f3b364271c4e385be1a03159feaa322bd416e268e"}
8b549335-44ad-4338-b155-faccaffe440f	5	{"seq":5,"v":2,"gen":4,"time":"2026-12-07T17:28:41.942Z","actor":"root","action":"use","key":"orders#2","details":{"reserved":"8","previouslyReserved":"0"},"prev":"e2376b2b1b08f761be2709a4f22d3ec1ffe8546c80076448e4d7839316dd3af8","mac":"2d3193ead8a843f2ae4f8266fc523b43f69f2996548e51e8ddc3360f791b0661"}
8b549335-44ad-4338-b155-faccaffe440f	6	{"seq":6,"v":2,"gen":5,"time":"2026-12-07T17:28:41.948Z","actor":"root","action":"deprecate","key":"orders#2","details":{"from":"ACTIVE","to":"DEPRECATED","reason":"rotated to #3"},"prev":"cddfef9d9358903834053dd4b26d9dcf12b02717ec98390749b6b31b35bdf423","mac":"767adc41ad22d51e1b3ea17f55ac6918cf2792eb2788e4d09cc7228e4569060d"}
8b549335-44ad-4338-b155-faccaffe440f	7	{"seq":7,"v":2,"gen":5,"time":"2026-12-07T17:28:41.948Z","actor":"root","action":"rotate","key":"orders#3","details":{"from":"#2","to":"#3","reason":"fixture: second rotation"},"prev":"24d7c8d4172861d57cb791e74adf215fa547d674add5996887ff58602d895a62","mac":"5289ca60c5732f40ef601ff883a23ded4fed2d5e532eeb978144d6a43a8077e9"}
8b549335-44ad-4338-b155-faccaffe440f	8	{"seq":8,"v":2,"gen":6,"time":"2026-12-07T17:28:41.956Z","actor":"root","action":"use","key":"orders#3","details":{"reserved":"8","previouslyReserved":"0"},"prev":"7aded325e683ffa03d82ee611ebed0ac8d0ce13cf064dfc861c8eac86f986b10","mac":"8cd636a38cbee0da26fd3aa7c936076c0cbb5a2f62bf9d8a2de00ebeb5ef6cea"}
8b549335-44ad-4338-b155-faccaffe440f	9	{"seq":9,"v":2,"gen":7,"time":"2026-12-07T17:28:41.963Z","actor":"root","action":"suspend","key":"orders#1","details":{"from":"DEPRECATED","to":"SUSPENDED","reason":"fixture: a state change"},"prev":"abdd9f103abb55926157a167056dc9ca6e1c01d1d718f74c8d9c044e65f90320","mac":"c9cba443254a4fb3db4890eb85d729d81fee613783994484930009eb4e3cd6f5"}
8b549335-44ad-4338-b155-faccaffe440f	10	{"seq":10,"v":2,"gen":8,"time":"2026-12-07T17:28:41.971Z","actor":"root","action":"create","key":"old#1","details":{"origin":"GENERATED","algorithm":"AES_256"},"prev":"0826471a9923bb18db5799e5548a6d2e6c30c41fce2fb439f472e514cdaa52c6","mac":"c082970c79b2356a6bc51a1e423a4e0b802117a182ec1418da869f3eb8433ede"}
8b549335-44ad-4338-b155-faccaffe440f	11	{"seq":11,"v":2,"gen":9,"time":"2026-12-07T17:28:41.976Z","actor":"root","action":"use","key":"old#1","details":{"reserved":"8","previouslyReserved":"0"},"prev":"5af1441d4fb5b90fec9029f1f6056ddd59dc700e2e78ec381d5811bd332c0417","mac":"12bae113c7e70c684e5c8164c8ba7b2758943a0b6f6dffd5d3524d6b1b9357bb"}
8b549335-44ad-4338-b155-faccaffe440f	12	{"seq":12,"v":2,"gen":10,"time":"2026-12-07T17:28:41.980Z","actor":"root","action":"deprecate","key":"old#1","details":{"from":"ACTIVE","to":"DEPRECATED","reason":"rotated to #2"},"prev":"5535593f4425ad68c03b5aca33c6c5601d24e0ec2f31d0b61d72a3396a31671f","mac":"d18342ccb76e85610c80b6a9356e9ee397437497a188c752f3984d84f570c812"}
8b549335-44ad-4338-b155-faccaffe440f	13	{"seq":13,"v":2,"gen":10,"time":"2026-12-07T17:28:41.980Z","actor":"root","action":"rotate","key":"old#2","details":{"from":"#1","to":"#2","reason":"fixture: before the destruction"},"prev":"3abecdd7ad8c362a8d718b4fd48a23911ca948907ea5dccf1427b8bbe76d1bfd","mac":"454925e3eecf15794dc0558eb196d08e2c1d1bf2cb18f2a8759a39eef25bed19"}
8b549335-44ad-4338-b155-faccaffe440f	14	{"seq":14,"v":2,"gen":11,"time":"2026-12-07T17:28:41.984Z","actor":"root","action":"use","key":"old#2","details":{"reserved":"8","previouslyReserved":"0"},"prev":"2a5fa4d582f8dc0d1b89f8f150a8f21f58437ef10d13dd4e49e2c66c259cf7cc","mac":"ef06bdc5c6a1e357291061d1c2c39d9061512b8408b9849871dfced3b9eec965"}
8b549335-44ad-4338-b155-faccaffe440f	15	{"seq":15,"v":2,"gen":12,"time":"2026-12-07T17:28:41.989Z","actor":"root","action":"destroy","key":"old#1","details":{"from":"DEPRECATED","to":"DESTROYED","reason":"destroyed on request"},"prev":"f14c2752b3ebb41a7c37bb989bed246f9ba573314803fb625a0586298a77a12b","mac":"79f76445219a58fe5c627e385012cdb0fe44bbc6f820a44ca88d73fcaa06a875"}
8b549335-44ad-4338-b155-faccaffe440f	16	{"seq":16,"v":2,"gen":13,"time":"2026-12-07T17:28:41.995Z","actor":"root","action":"create","key":"mac#1","details":{"origin":"GENERATED","algorithm":"HMAC_SHA256"},"prev":"5bd9b5f3a3957587d273746b5c1083f059e597e134f9a1a02b438cdb48de00e5","mac":"baf2abdbf9d4502fff756f7c5a059babe0a363a850255517cd62eab9daebd4d6"}
8b549335-44ad-4338-b155-faccaffe440f	17	{"seq":17,"v":2,"gen":14,"time":"2026-12-07T17:28:42.006Z","actor":"root","action":"use","key":"mac#1","details":{"reserved":"8","previouslyReserved":"0"},"prev":"8c7a2fdbf24fc2be87dc0c754e7233b31212e6e9805db1b8377d2e5b5435536c","mac":"97578f2968fa98aa40da5657e9f4dadfe2b0ff59561ad00b8480c8709ddd8e81"}
8b549335-44ad-4338-b155-faccaffe440f	18	{"seq":18,"v":2,"gen":15,"time":"2026-12-07T17:28:42.070Z","actor":"root","action":"import","key":"sig#1","details":{"origin":"IMPORTED","algorithm":"EC_P256"},"prev":"f2a1f1ac01bbd06c2df44dd5aaae9badd2d51a14e962ae2d5b9756d896a1612e","mac":"999ba35db6a292a8a8e444490824bdb320e17f0d9e224559d399083ac6e2e167"}
8b549335-44ad-4338-b155-faccaffe440f	19	{"seq":19,"v":2,"gen":16,"time":"2026-12-07T17:28:42.083Z","actor":"root","action":"use","key":"sig#1","details":{"reserved":"8","previouslyReserved":"0"},"prev":"07ecbdb355a403abc85564affcfe2610de97ed60da85b8bf3818b7e19193c0a2","mac":"ca0d333603b352189f3bedd0542f0b8ee5658962bbd1882e95dc9b65219e68b1"}
8b549335-44ad-4338-b155-faccaffe440f	20	{"seq":20,"v":2,"gen":17,"time":"2026-12-07T17:28:42.095Z","actor":"root","action":"use","key":"orders#1","details":{"used":"1","released":"7","uses":"1","reserved":"0"},"prev":"7293e0e0f697ee2c407cc8a580e0ded56ca64f5864b231960d09781758893a39","mac":"9bb0e7e319736bdcd478474b405c15daa622a7bef265ceb158bf71746fe8c784"}
8b549335-44ad-4338-b155-faccaffe440f	21	{"seq":21,"v":2,"gen":17,"time":"2026-12-07T17:28:42.095Z","actor":"root","action":"use","key":"orders#2","details":{"used":"1","released":"7","uses":"1","reserved":"0"},"prev":"79a406da321563d995369a03f03894d83c044cbb747b2b5de9e8e9d58f7c3746","mac":"dc987d7238a7fc167fc81415c0af6c97305a1e3f59b26cda9b8703e2978a8d17"}
8b549335-44ad-4338-b155-faccaffe440f	22	{"seq":22,"v":2,"gen":17,"time":"2026-12-07T17:28:42.095Z","actor":"root","action":"use","key":"mac#1","details":{"used":"3","released":"5","uses":"3","reserved":"0"},"prev":"f734e6dea7e25c3ea62cf44088fe9dee3827a01d6b2736581120858a9e1884c8","mac":"08550a2de0fd75d82666aae1105722349a9fc99fa528b480fbe529527572a3a3"}
8b549335-44ad-4338-b155-faccaffe440f	23	{"seq":23,"v":2,"gen":17,"time":"2026-12-07T17:28:42.095Z","actor":"root","action":"use","key":"orders#3","details":{"used":"2","released":"6","uses":"2","reserved":"0"},"prev":"e2826b9f8f113b0344acc92bf30b1789c11dde70dc12be2654bd60f0ca3a3cdd","mac":"cce5bb9a617eabbade76ecc28a1ed505df1856db3eb7f64a1648de39c0066404"}
8b549335-44ad-4338-b155-faccaffe440f	24	{"seq":24,"v":2,"gen":17,"time":"2026-12-07T17:28:42.095Z","actor":"root","action":"use","key":"sig#1","details":{"used":"1","released":"7","uses":"1","reserved":"0"},"prev":"8bd9d3b5b49c118cc9c51e982b9171f8165e135c86b3fe10b3a3395b393365e6","mac":"b82d3267b464fa07bc74d2a66198063db04c92d316ca6b2283e5a21363bf0db6"}
8b549335-44ad-4338-b155-faccaffe440f	25	{"seq":25,"v":2,"gen":17,"time":"2026-12-07T17:28:42.095Z","actor":"root","action":"use","key":"old#1","details":{"used":"1","released":"7","uses":"1","reserved":"0"},"prev":"b19a807d2b04009848e3caf736dd6e80c52c68e5bdc8249620257fe9cd4aa6f9","mac":"4c08a5f6c31b6d647e03899ff261523ffcb98986b88c4c58101361f1936c4079"}
8b549335-44ad-4338-b155-faccaffe440f	26	{"seq":26,"v":2,"gen":17,"time":"2026-12-07T17:28:42.095Z","actor":"root","action":"use","key":"old#2","details":{"used":"1","released":"7","uses":"1","reserved":"0"},"prev":"d97ba158314e7236f5b769e2a1b1fa0b723c28e732a5b138f3a75e1c0eecd6cd","mac":"a0e08175a6c86b22d641d057a7627866790e9de54ada45426d24a4eef0af6ece"}
8b549335-44ad-4338-b155-faccaffe440f	27	{"seq":27,"v":2,"gen":17,"time":"2026-12-07T17:28:42.095Z","actor":"root","action":"usage","key":"mac#1","details":{"macs":"3","periodStart":"2026-12-07T17:28:41.818Z","periodEnd":"2026-12-07T17:28:42.095Z"},"prev":"beaf0864368a022df25ad37773ac089bb8e630d9dd09f39ba670fb87cf9cca40","mac":"aebb2c82771f1d56f3f7b75891a8790e73190e3c7936c03d86eb35b4f39831a6"}
8b549335-44ad-4338-b155-faccaffe440f	28	{"seq":28,"v":2,"gen":17,"time":"2026-12-07T17:28:42.095Z","actor":"root","action":"usage","key":"old#1","details":{"encryptions":"1","periodStart":"2026-12-07T17:28:41.818Z","periodEnd":"2026-12-07T17:28:42.095Z"},"prev":"de92daa7eef119bf6ddf333bada600ab0c3b6b9d8dcab53ef4b5b702b23b951d","mac":"f66a9d3a8146789123ceccef02b5f58ec1215e5af69023acd01d2249d50715bd"}
8b549335-44ad-4338-b155-faccaffe440f	29	{"seq":29,"v":2,"gen":17,"time":"2026-12-07T17:28:42.095Z","actor":"root","action":"usage","key":"old#2","details":{"encryptions":"1","periodStart":"2026-12-07T17:28:41.818Z","periodEnd":"2026-12-07T17:28:42.095Z"},"prev":"e334193ae513de713bf47ec6a3aebf742546c53698f361f8dc81d8678b5ef632","mac":"e6d62dce79e9d9697d261e1a402c47f01e90e459f92efeff00e9dc417babff5b"}
8b549335-44ad-4338-b155-faccaffe440f	30	{"seq":30,"v":2,"gen":17,"time":"2026-12-07T17:28:42.095Z","actor":"root","action":"usage","key":"orders#1","details":{"encryptions":"1","periodStart":"2026-12-07T17:28:41.818Z","periodEnd":"2026-12-07T17:28:42.095Z"},"prev":"dd1d2ae540a345195c6fa96ba22d32922d1c494cd83b73446bee4dbb455158e8","mac":"565c63cec3229a1ff77ca7d2ca4b99074616cfce19bd81e72f37615d97a3487d"}
8b549335-44ad-4338-b155-faccaffe440f	31	{"seq":31,"v":2,"gen":17,"time":"2026-12-07T17:28:42.095Z","actor":"root","action":"usage","key":"orders#2","details":{"encryptions":"1","periodStart":"2026-12-07T17:28:41.818Z","periodEnd":"2026-12-07T17:28:42.095Z"},"prev":"79fe6b91a3ce86dd494c446ca423cc7de898d323d54d15120d521fe550ec47ca","mac":"16257df4e5f80260881caebaa5feda5c461926c652e7d5d93b66e7bbf130db6e"}
8b549335-44ad-4338-b155-faccaffe440f	32	{"seq":32,"v":2,"gen":17,"time":"2026-12-07T17:28:42.095Z","actor":"root","action":"usage","key":"orders#3","details":{"encryptions":"2","periodStart":"2026-12-07T17:28:41.818Z","periodEnd":"2026-12-07T17:28:42.095Z"},"prev":"cf890cb6230254c62b03e4172b0f6b0f54249bec86a1b479452d1a6314aed57b","mac":"3d6b7964e587c6c3b97cd4b91fbddb4d43d65bb2ccc786aae15e43c74ce9d800"}
8b549335-44ad-4338-b155-faccaffe440f	33	{"seq":33,"v":2,"gen":17,"time":"2026-12-07T17:28:42.095Z","actor":"root","action":"usage","key":"sig#1","details":{"signatures":"1","periodStart":"2026-12-07T17:28:41.818Z","periodEnd":"2026-12-07T17:28:42.095Z"},"prev":"de3963a38e868d5531ecc14d60f673a4ff97992029665844a5569c7d4008ffea","mac":"708b5ddb4113be106137a7143614d475b43d0aac6e853ec78079bd78818215ec"}
\.


--
-- Data for Name: clavis_key_version; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.clavis_key_version (keyring_id, name, version, state, algorithm, exportable, generation, wrapped, row_mac) FROM stdin;
8b549335-44ad-4338-b155-faccaffe440f	orders	3	ACTIVE	AES_256	f	5	\\xc2beefd3d396e98d58f70f22a449e1b4e2b4d6ee84b020bae9b002c0c2b43cb07f00046970b62f661d54bfc718269e5db79c3664125a4cce8c327ddd	\\xec1466b44141b1ea8709630507910e30d8e74da88b2565f368e5be8ddfcd22b7
8b549335-44ad-4338-b155-faccaffe440f	orders	2	DEPRECATED	AES_256	f	5	\\x48ca05dffe29968cdf9a840c9d505155f9c2c298113af2b2b7e11604d76aa57460bf82b27a42c4e5a1e63df141edb979d9bb48787b98d2bbe99e2a85	\\xec6fb3dcb83b149fefbc0d9e16c7b44dc5943e2fb4ae4b91244439b8859d4287
8b549335-44ad-4338-b155-faccaffe440f	orders	1	SUSPENDED	AES_256	f	7	\\xc508b7ef9e3492c61d819eef24bafffdb3457b5449483d7eaa662e45dbff5181d91aec78f0969ec350b3d76f24c225e574b5d748c1c2923a2bec075d	\\x284d03baa7d43f5def344e6bc971d8fc1b7fa77e37a841429e2e9c475740adb6
8b549335-44ad-4338-b155-faccaffe440f	old	2	ACTIVE	AES_256	f	10	\\x1db54b1803a11fe8b60a63e7a2c239ae38827ec2cf87f9435b240993e5a848eaac411133d3f3ade545b8e23cd20abc2a3aba8dae952c37f66c43066a	\\xc6e0cf7a00f35f73ccd383c7ef073a05a6db85f5348cbbd89c9a1ee525a68e1c
8b549335-44ad-4338-b155-faccaffe440f	old	1	DESTROYED	AES_256	f	12	\N	\\xc4ad5b84f3ca747ca37a5d76a6c514d877e5676f6bad80d4ed7fdadf28f3e73f
8b549335-44ad-4338-b155-faccaffe440f	mac	1	ACTIVE	HMAC_SHA256	f	13	\\x6eaa83e5a7d20a6b9b25a699b2273f69962196116a6bf14b4539b8415cce8c71ef75a5927cf3ffa0540bf031d3b5ec332ca7b671d7598a8ee3d03ecd	\\xf7de83e379621a0f2dee1c100e33e5282588f51fd3fd3d631545895904dc0a82
8b549335-44ad-4338-b155-faccaffe440f	sig	1	ACTIVE	EC_P256	f	15	\\xb57736d0cfbee7c994a05ad198294e8c447a1b26bd6ad30fbaccdf167e8d96aa0c633ec3a7bd68439aaa19cf43a73dc58cf288631d8e10ae0d2e4924ba80711a748a656870c682e907ba717d554671d35ec4efd78e7a83baac721b2fe897d1207d40e454d0151aef2e00636b14bf4c5efa51483daedc8f170b79520d55203b6ca8d3d5baba49b3acad9a96aa1f82d1ca1d4ae4a800d737d798935b09155e5af5f52aff214398fc1b6787e458cf1dedf5bd506b0ea9cbb220d6a340407643292e059bcc7f9ec6832f969dea642363113015551c2ff29f7f5c8139f1e07d4e32c391b6507e36ae58a9699dc67471ba1e2fa0a0b34e723abb04898ed00ebc0d4b546f6aad5661ab6cb052e6338ba7f5bc9e5db8dff80a67b30b2b76c20e352da0b6e0e1544a4117e257c19b247b793c6f4ded8353ef24e43eda05f47d10e70bcf1fb5b74cd5f671f0ce9a1050602ad7fbc3726849d1165038583b9c5bfd8fbf29cd1194069150942b4015daf3b7442966738565421849d6411c2e1cbfcb69d11789eb2808d7a6447719ff53e020fef96aacc2de1cc8fe84b9709cabd1f97d1dd2477f457bfd896b8ecb3bd72a67a3b9f57191ab094d8b996dbb	\\xaccd70f57ba7a9e9a0da68a2ddda2f8f30d9de2a754c8549dc3af562d32ebc8c
\.


--
-- Data for Name: clavis_keyring; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.clavis_keyring (id, name, generation, protector, metadata, manifest, head_mac) FROM stdin;
8b549335-44ad-4338-b155-faccaffe440f	fixture	17	\\x0101000000010000004000000001000000105ba376fa53ed32683116b1f9b5e439a495d5b16e74c07f253607394000000030770370c484ae3cb135c39efba4dc56000efb05d2d3f7d665f8b3ef646be19706ff31f1f73c1c373120d958906b5f6254	\\x1e13d4974952039d0f8479c4c6870cb00b3344d6e40ecebc897c42713bb5ed50e3cce0ab63fd8fbdd006ee16df9143292365d8a8102b1a5d62e2b540014c660ea8768dac984a705243b7c5a9f120083de4efa2c446357e9933cca8d484923d36d20bc9962be221148761b54d2628f1aa4ca0eb5b7045eacd08b39c9cf32aa23b14a6902dfcb33fff8d31551501f5170fe5f7cc6151fdc3f9a9ae87da2361faa05471c0e97cb9c55ef829e8f18a69bfc462b246a44d1d2bcfd04d5c1d80a12bd168ee78b9da4ce97b4e70efef6a191c15d4c902b3008adf23c9a44d3deeca17482ae1eca07796c1bb0990b8a2b9ebc377db8a999a1c56f197035aa7f1d29b686da773732cad3279eab501c2d742a0bd1d3e1b1af6bc632720cf94c9ae111a5e4b0aac98ec370116dd52ff3a87d8d00640fdafc1f72cbbea8fbf69c19970eaedb6be066a026599afbade16ccfec69a1c36d781198e2135ae55398b464569a3c4a54bf3ece37878dedf24f8c85e44466a0b6547adda9aaa04f6e6c6a24d6f7e18d06cf7fef94721500527434722fa5b955c6b898cd9c865c4e4d395718a926167085497eff44cce2dd70f401a9df395c1015de76730559f2da06a74b9a558e036ef606fc436fbe85e0b501d8d42580508bbd98ba1653f85a4e7f0d5f3ddf6b387d6df404fda8f87c4bd2a01756d168368acc4e62566e756e658af11b41b277cc72c2cb6b814090be1b02165a41a55b7b5d60e1dc5d7d10e911c4885fa404fc11504222eacba6c15d434a7ee3beab9732fcdb42956c98dd1687f529fb774b0345c61619af34efc9905ca0afc3039c79c26920482929d93bedac549c767a235a0b757d525079adc84239daf2990bf538c5c757d8fe75a92f447212760e07dc76b167f7ff4f3fe04d468ab96a4f580557a28c4eefd0201da20fdb53bb7729ea2d8a900cd493cc74d6cd38db89b7af0b23b176363bcfdf6447cc4c8109f19adb31d5de6df0d83f41c2d2379e2821a1ad7963a1d206bd7efe65446d86afbd1e669d2882f9e828b7b59bd571bf9cbf400633fab6ed9a996887b932b5cc330d815c57d6cff0bd219e03d838bbaa6f89bd576daf65a8d16054a389656e818190416bc4e2b023b0fb5153b1f699ca02921dcb187b815a7f43c97576014f1c89d87f060456dc2078b957f0d23a45327f00ff8e9df35e4a7a1a68922891f707f1a958e79a3079dbd5ad7e45be502cd4936c1ecbdd0be6b76930b63982228269fb8de75f2c6ab199f0e0e99bfbcfdcfad28ad41206a1dc65b0731cbfb68f778303923f8d654d84fef28ab3ce81490004b30968225e18d438679b5c84e71f958231ea46908b3aa944808667222ce7e4dc084a1b740356b8d00ca35	\\x00000007000000036d61630000000100000006414354495645e387e651e3f26cf412ca0cc30f49fe06a9e07c91ff4abaf22c970af06d1bcf4a000000036f6c64000000010000000944455354524f59454495de6dc208eb17323964e42a3463cb5d3d30722779d47ba041840816df07aeb1000000036f6c64000000020000000641435449564537c004516d3b1e9bbe32022c856ca6f87362893c510d535db27c0bd1c013cc01000000066f7264657273000000010000000953555350454e444544163234006ddfe34e260238c07b4e66ed380470d9a4d1049ae492b3661143f6de000000066f7264657273000000020000000a444550524543415445443c1bd92522dd55929801380b394d491587d89f438be1772cc24af0213285bfe1000000066f726465727300000003000000064143544956453202d095c213814af43847d68f2e69eadf928a3edb5ecfb515329b43f520b1530000000373696700000001000000064143544956452eab897b7340c3de2e0017f4b0cd09ea09ada1b566bfe78ee6fabace2120d689	\\xf9c147c983c05b844a2b46aede32dccab82d490ce75ace5e97c9f74d1ce548b3
\.


--
-- Data for Name: clavis_schema; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.clavis_schema (version) FROM stdin;
1
\.


--
-- Name: clavis_audit clavis_audit_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.clavis_audit
    ADD CONSTRAINT clavis_audit_pkey PRIMARY KEY (keyring_id, seq);


--
-- Name: clavis_key_version clavis_key_version_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.clavis_key_version
    ADD CONSTRAINT clavis_key_version_pkey PRIMARY KEY (keyring_id, name, version);


--
-- Name: clavis_keyring clavis_keyring_name_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.clavis_keyring
    ADD CONSTRAINT clavis_keyring_name_key UNIQUE (name);


--
-- Name: clavis_keyring clavis_keyring_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.clavis_keyring
    ADD CONSTRAINT clavis_keyring_pkey PRIMARY KEY (id);


--
-- Name: clavis_audit clavis_audit_no_change; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER clavis_audit_no_change BEFORE DELETE OR UPDATE ON public.clavis_audit FOR EACH ROW EXECUTE FUNCTION public.clavis_audit_append_only();


--
-- Name: clavis_audit clavis_audit_no_truncate; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER clavis_audit_no_truncate BEFORE TRUNCATE ON public.clavis_audit FOR EACH STATEMENT EXECUTE FUNCTION public.clavis_audit_append_only();


--
-- Name: clavis_audit clavis_audit_keyring_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.clavis_audit
    ADD CONSTRAINT clavis_audit_keyring_id_fkey FOREIGN KEY (keyring_id) REFERENCES public.clavis_keyring(id);


--
-- Name: clavis_key_version clavis_key_version_keyring_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.clavis_key_version
    ADD CONSTRAINT clavis_key_version_keyring_id_fkey FOREIGN KEY (keyring_id) REFERENCES public.clavis_keyring(id);


--
-- PostgreSQL database dump complete
--

\unrestrict Z5UoaIsBWVWq8Ok5nSWvf1ddioL354z2yfPFrNPi1lLl7l4OMYb8ZE63uos8Pth


//! Table-driven rule tests on sentences written for this project: each construction the built-in rules support,
//! and sentences that must give no typed edge. The expected edges are what each sentence states, worked out by
//! reading it. Names come from the built-in dictionaries plus a small dictionary of invented entities.

use std::collections::BTreeSet;

use guanxi::dict::Dictionary;
use guanxi::extract::mentions::Matcher;
use guanxi::extract::rules::RuleSet;
use guanxi::extract::Extractor;
use guanxi::model::{Document, CO_OCCURS};

const TEST_DICTIONARY: &str = "name,type,aliases
星河电子有限公司,company,星河电子
蓝海新材料有限公司,company,蓝海新材料
金桥集团有限公司,company,金桥集团
东方智造产业园,park,
滨河科技园,park,
绿谷生物医药基地,park,
张明,official,
李华,official,
王芳,official,
赵强,official,
潍坊市发展和改革委员会,organization,市发改委
山东省新材料协会,organization,
年产十万吨薄膜项目,park,
星河电子智能终端产业园,park,
蓝海新材料二期项目,park,
寿光市委,organization,
";

const L: &str = "leads";
const IN: &str = "located-in";
const INV: &str = "invests-in";

type Case = (&'static str, &'static [(&'static str, &'static str, &'static str)]);

const CASES: &[Case] = &[
    // leads: organization, post, person
    ("星河电子有限公司董事长张明出席活动。", &[("张明", L, "星河电子有限公司")]),
    ("星河电子有限公司党委书记、董事长张明表示。", &[("张明", L, "星河电子有限公司")]),
    ("寿光市市长赵强到企业调研。", &[("赵强", L, "寿光市")]),
    ("奎文区区委书记张明主持会议。", &[("张明", L, "奎文区")]),
    ("星河电子有限公司董事长兼总经理张明介绍。", &[("张明", L, "星河电子有限公司")]),
    // leads: title chains
    (
        "山东省新材料协会会长、蓝海新材料有限公司总经理李华介绍。",
        &[("李华", L, "山东省新材料协会"), ("李华", L, "蓝海新材料有限公司")],
    ),
    (
        "潍坊讯 市发改委党组书记,市商务局党组书记、局长王芳出席。",
        &[("王芳", L, "潍坊市发展和改革委员会"), ("王芳", L, "潍坊市商务局")],
    ),
    (
        "全国工商联常委、山东省新材料协会会长、星河电子有限公司董事长张明发言。",
        &[("张明", L, "山东省新材料协会"), ("张明", L, "星河电子有限公司")],
    ),
    ("潍坊高新区党工委书记、管委会主任张明调研。", &[("张明", L, "潍坊高新技术产业开发区")]),
    ("潍坊市委书记赵强主持会议。", &[("赵强", L, "潍坊市")]),
    ("星河电子有限公司董事长、全国人大代表张明发言。", &[("张明", L, "星河电子有限公司")]),
    (
        "星河电子有限公司董事长张明、总经理李华出席。",
        &[("张明", L, "星河电子有限公司"), ("李华", L, "星河电子有限公司")],
    ),
    // leads: serving as
    ("张明担任蓝海新材料有限公司总经理。", &[("张明", L, "蓝海新材料有限公司")]),
    ("李华兼任山东省新材料协会副会长。", &[("李华", L, "山东省新材料协会")]),
    // leads: members are not leaders; a leading post after a membership still counts
    ("潍坊市委常委、副市长李华出席。", &[("李华", L, "潍坊市")]),
    ("潍坊市人大常委会主任王芳讲话。", &[]),
    ("全国工商联常委王芳表示。", &[]),
    ("山东省新材料协会会员张明参加活动。", &[]),
    // leads: a post without a place means the place the text is about
    ("潍坊高新区召开工作会议。1月5日上午,区党工委书记张明带队调研。", &[("张明", L, "潍坊高新技术产业开发区")]),
    ("奎文区召开会议。区长李华出席并讲话。", &[("李华", L, "奎文区")]),
    ("潍坊市召开动员大会。市长赵强作报告。", &[("赵强", L, "潍坊市")]),
    ("临朐县召开大会。县长王芳讲话。", &[("王芳", L, "临朐县")]),
    // leads: a company without its name means the company mentioned last
    ("记者走进星河电子有限公司。公司副总经理李华介绍,订单充足。", &[("李华", L, "星河电子有限公司")]),
    // leads: no post, no edge
    ("张明和李华参观了星河电子有限公司。", &[]),
    ("星河电子有限公司与张明签约。", &[]),
    // located-in: settling
    ("星河电子有限公司落户奎文区。", &[("星河电子有限公司", IN, "奎文区")]),
    ("星河电子有限公司正式落户奎文区。", &[("星河电子有限公司", IN, "奎文区")]),
    ("星河电子有限公司总部位于奎文区。", &[("星河电子有限公司", IN, "奎文区")]),
    ("东方智造产业园位于潍坊高新区。", &[("东方智造产业园", IN, "潍坊高新技术产业开发区")]),
    (
        "星河电子有限公司、蓝海新材料有限公司入驻东方智造产业园。",
        &[("星河电子有限公司", IN, "东方智造产业园"), ("蓝海新材料有限公司", IN, "东方智造产业园")],
    ),
    ("东方智造产业园位于潍坊高新区，规划面积１０平方公里。", &[("东方智造产业园", IN, "潍坊高新技术产业开发区")]),
    ("星河电子有限公司是一家位于寿光市的企业。", &[("星河电子有限公司", IN, "寿光市")]),
    (
        "滨河科技园已入驻星河电子有限公司、蓝海新材料有限公司等企业。",
        &[("星河电子有限公司", IN, "滨河科技园"), ("蓝海新材料有限公司", IN, "滨河科技园")],
    ),
    ("寿光市的蓝海新材料有限公司订单充足。", &[("蓝海新材料有限公司", IN, "寿光市")]),
    ("金桥集团有限公司在奎文区设立区域总部。", &[("金桥集团有限公司", IN, "奎文区")]),
    ("潍坊市奎文区召开会议。", &[("奎文区", IN, "潍坊市")]),
    ("奎文区安全产业园加快建设。", &[("安全产业园", IN, "奎文区")]),
    ("东方智造产业园内的星河电子有限公司扩大产能。", &[("星河电子有限公司", IN, "东方智造产业园")]),
    (
        "滨河科技园现有星河电子有限公司、蓝海新材料有限公司等企业。",
        &[("星河电子有限公司", IN, "滨河科技园"), ("蓝海新材料有限公司", IN, "滨河科技园")],
    ),
    ("星河电子有限公司成立于2010年,总部位于奎文区。", &[("星河电子有限公司", IN, "奎文区")]),
    ("奎文区、寿光市的企业参加展会。", &[]),
    ("位于潍坊高新区的星河电子有限公司扩大产能。", &[("星河电子有限公司", IN, "潍坊高新技术产业开发区")]),
    ("星河电子有限公司是奎文区的重点企业。", &[("星河电子有限公司", IN, "奎文区")]),
    ("星河电子有限公司总部设在奎文区。", &[("星河电子有限公司", IN, "奎文区")]),
    ("星河电子有限公司是一家高新技术企业。", &[]),
    ("张明是奎文区的企业家。", &[]),
    // invests-in and located-in: a project named after its investor, ceremonies and starts of work at a site
    ("蓝海新材料有限公司年产十万吨薄膜项目正在加紧建设。", &[("蓝海新材料有限公司", INV, "年产十万吨薄膜项目")]),
    ("年产十万吨薄膜项目奠基仪式在寿光市隆重举行。", &[("年产十万吨薄膜项目", IN, "寿光市")]),
    ("年产十万吨薄膜项目在奎文区开工。", &[("年产十万吨薄膜项目", IN, "奎文区")]),
    ("年产十万吨薄膜项目在奎文区签约,洽谈开工事宜。", &[]),
    ("金桥集团有限公司投资20亿元的绿谷生物医药基地加快建设。", &[("金桥集团有限公司", INV, "绿谷生物医药基地")]),
    (
        "在东方智造产业园内,星河电子有限公司、蓝海新材料有限公司加快建设。",
        &[("星河电子有限公司", IN, "东方智造产业园"), ("蓝海新材料有限公司", IN, "东方智造产业园")],
    ),
    (
        "位于奎文区的金桥集团有限公司绿谷生物医药基地开工。",
        &[
            ("金桥集团有限公司", IN, "奎文区"),
            ("绿谷生物医药基地", IN, "奎文区"),
            ("金桥集团有限公司", INV, "绿谷生物医药基地"),
        ],
    ),
    // an enumeration holds items of one type: the company after the project starts a clause of its own
    (
        "金桥集团有限公司投资建设绿谷生物医药基地、星河电子有限公司投资建设东方智造产业园。",
        &[("金桥集团有限公司", INV, "绿谷生物医药基地"), ("星河电子有限公司", INV, "东方智造产业园")],
    ),
    // located-in: intentions and talks are not settling; signing to settle is settling
    ("星河电子有限公司签约落户奎文区。", &[("星河电子有限公司", IN, "奎文区")]),
    ("星河电子有限公司与奎文区签约,洽谈落户事宜。", &[]),
    ("蓝海新材料有限公司正在洽谈落户寿光市。", &[]),
    ("奎文区吸引星河电子有限公司前来洽谈。", &[]),
    ("潍坊市投资合作促进局与星河电子有限公司洽谈合作。", &[]),
    // located-in: building in a place
    ("在寿光市建设滨河科技园。", &[("滨河科技园", IN, "寿光市")]),
    ("东方智造产业园在奎文区建成投用。", &[("东方智造产业园", IN, "奎文区")]),
    // located-in: a place gathering companies, a place holding parks
    (
        "滨河科技园集聚星河电子有限公司、蓝海新材料有限公司等企业30家。",
        &[("星河电子有限公司", IN, "滨河科技园"), ("蓝海新材料有限公司", IN, "滨河科技园")],
    ),
    (
        "潍坊高新区召开会议。同时,依托东方智造产业园、滨河科技园等重点园区,加快发展。",
        &[("东方智造产业园", IN, "潍坊高新技术产业开发区"), ("滨河科技园", IN, "潍坊高新技术产业开发区")],
    ),
    ("奎文区依托绿谷生物医药基地发展医药产业。", &[("绿谷生物医药基地", IN, "奎文区")]),
    // located-in: the company leading a park is in it (and does not own it)
    ("以星河电子有限公司为龙头的东方智造产业园发展迅速。", &[("星河电子有限公司", IN, "东方智造产业园")]),
    // located-in: 该园区 / 该公司 mean the park or company mentioned last
    ("东方智造产业园开工建设。该园区位于奎文区。", &[("东方智造产业园", IN, "奎文区")]),
    ("星河电子有限公司发布新品。该公司落户潍坊高新区已有十年。", &[("星河电子有限公司", IN, "潍坊高新技术产业开发区")]),
    // invests-in
    ("金桥集团有限公司投资建设东方智造产业园。", &[("金桥集团有限公司", INV, "东方智造产业园")]),
    ("金桥集团有限公司投资星河电子有限公司。", &[("金桥集团有限公司", INV, "星河电子有限公司")]),
    ("金桥集团有限公司总投资20亿元建设绿谷生物医药基地。", &[("金桥集团有限公司", INV, "绿谷生物医药基地")]),
    ("东方智造产业园由金桥集团有限公司投资建设。", &[("金桥集团有限公司", INV, "东方智造产业园")]),
    (
        "金桥集团有限公司投资建设东方智造产业园、滨河科技园。",
        &[("金桥集团有限公司", INV, "东方智造产业园"), ("金桥集团有限公司", INV, "滨河科技园")],
    ),
    ("张明在家乡寿光市投资建设滨河科技园。", &[("张明", INV, "滨河科技园"), ("滨河科技园", IN, "寿光市")]),
    (
        "金桥集团有限公司在奎文区投资建设东方智造产业园。",
        &[
            ("金桥集团有限公司", INV, "东方智造产业园"),
            ("东方智造产业园", IN, "奎文区"),
            ("金桥集团有限公司", IN, "奎文区"),
        ],
    ),
    ("星河电子有限公司投资20亿元的东方智造产业园开工。", &[("星河电子有限公司", INV, "东方智造产业园")]),
    ("星河电子有限公司全球首座智能工厂所在的东方智造产业园迎来新企业。", &[]),
    (
        "金桥集团有限公司投资50亿元在奎文区建设东方智造产业园。",
        &[("金桥集团有限公司", INV, "东方智造产业园"), ("东方智造产业园", IN, "奎文区")],
    ),
    (
        "星河电子有限公司与蓝海新材料有限公司合资成立金桥集团有限公司。",
        &[("星河电子有限公司", INV, "金桥集团有限公司"), ("蓝海新材料有限公司", INV, "金桥集团有限公司")],
    ),
    ("张明创办了星河电子有限公司。", &[("张明", INV, "星河电子有限公司")]),
    ("金桥集团有限公司收购蓝海新材料有限公司。", &[("金桥集团有限公司", INV, "蓝海新材料有限公司")]),
    ("金桥集团有限公司斥资30亿元打造东方智造产业园。", &[("金桥集团有限公司", INV, "东方智造产业园")]),
    ("金桥集团有限公司承建的东方智造产业园即将完工。", &[]),
    ("由金桥集团有限公司投资建设的东方智造产业园开园。", &[("金桥集团有限公司", INV, "东方智造产业园")]),
    ("由星河电子有限公司承建的东方智造产业园开园。", &[]),
    // invests-in: intentions and talks are not investments
    ("金桥集团有限公司洽谈投资建设东方智造产业园。", &[]),
    ("金桥集团有限公司与奎文区洽谈投资滨河科技园。", &[]),
    ("金桥集团有限公司与寿光市签订协议,投资建设滨河科技园。", &[]),
    // located-in without a place named: the place the document is about (here its title)
    (
        "寿光市项目建设提速\n星河电子、蓝海新材料等企业集中落户。",
        &[("星河电子有限公司", IN, "寿光市"), ("蓝海新材料有限公司", IN, "寿光市")],
    ),
    // a list closed by 等 holds items of several types
    (
        "寿光市项目建设提速\n蓝海新材料、东方智造产业园等项目当年签约、当年落地。",
        &[("蓝海新材料有限公司", IN, "寿光市"), ("东方智造产业园", IN, "寿光市")],
    ),
    // a place the sentence states wins over the document's
    (
        "寿光市项目建设提速\n星河电子、蓝海新材料等企业落户青州市。",
        &[("星河电子有限公司", IN, "青州市"), ("蓝海新材料有限公司", IN, "青州市")],
    ),
    // a hope is not settling
    ("寿光市项目建设提速\n推动星河电子尽快落地。", &[]),
    // lists that start or settle in a place
    (
        "东方智造产业园、绿谷生物医药基地等6个项目在寿光市集中开工。",
        &[("东方智造产业园", IN, "寿光市"), ("绿谷生物医药基地", IN, "寿光市")],
    ),
    (
        "落户青州市的东方智造产业园、星河电子有限公司两个项目进展顺利。",
        &[("东方智造产业园", IN, "青州市"), ("星河电子有限公司", IN, "青州市")],
    ),
    // a place's project with its investor between (the investor is the place's too)
    (
        "青州市的金桥集团有限公司年产十万吨薄膜项目已投产。",
        &[
            ("年产十万吨薄膜项目", IN, "青州市"),
            ("金桥集团有限公司", IN, "青州市"),
            ("金桥集团有限公司", INV, "年产十万吨薄膜项目"),
        ],
    ),
    // a project named after its investor
    (
        "星河电子有限公司董事长张明到星河电子智能终端产业园调研。",
        &[("张明", L, "星河电子有限公司"), ("星河电子有限公司", INV, "星河电子智能终端产业园")],
    ),
    // … but not when the company is named only inside the project's name: the name leaves that open
    ("蓝海新材料二期项目在寿光市开工。", &[("蓝海新材料二期项目", IN, "寿光市")]),
    // a plan states where (the company builds there too)
    (
        "金桥集团有限公司拟在寿光市建设东方智造产业园。",
        &[
            ("东方智造产业园", IN, "寿光市"),
            ("金桥集团有限公司", IN, "寿光市"),
            ("金桥集团有限公司", INV, "东方智造产业园"),
        ],
    ),
    // leads: a party committee's secretary leads its place
    ("寿光市委书记张明出席。", &[("张明", L, "寿光市")]),
    // leads: the head of an office inside the company does not lead the company
    ("星河电子有限公司办公室主任李华介绍,订单饱满。", &[]),
    // leads: posts without a place, by level: a district has a 区长, a functional zone does not
    ("奎文区项目建设提速\n区委书记赵强出席。", &[("赵强", L, "奎文区")]),
    ("潍坊高新区项目建设提速\n区长赵强出席。", &[]),
    // a city post in an article about one of the city's districts: the city
    ("奎文区项目建设提速\n市长李华出席。", &[("李华", L, "潍坊市")]),
    // (the town's full name, 临朐县五井镇, says it lies in 临朐县)
    (
        "五井镇重点项目观摩\n镇党委副书记、镇长王芳作汇报。",
        &[("王芳", L, "临朐县五井镇"), ("临朐县五井镇", IN, "临朐县")],
    ),
    // the leading post first, other posts after it
    ("寿光市项目建设提速\n市委书记、市人大常委会主任张明出席。", &[("张明", L, "寿光市")]),
    // at a company: its head; visited in an article about one place: that place's company
    (
        "寿光市企业见闻\n在星河电子有限公司,总经理李华介绍,订单饱满。",
        &[("李华", L, "星河电子有限公司"), ("星河电子有限公司", IN, "寿光市")],
    ),
    // companies of the district the text is about
    (
        "奎文区调研\n赵强到星河电子、蓝海新材料等区内重点企业调研。",
        &[("星河电子有限公司", IN, "奎文区"), ("蓝海新材料有限公司", IN, "奎文区")],
    ),
    // a place with a street address, then what lies there; beside a place is not in it
    ("位于寿光市渤海路北段的东方智造产业园开工。", &[("东方智造产业园", IN, "寿光市")]),
    ("位于寿光市南侧的东方智造产业园开工。", &[]),
    // inside the park mentioned last
    ("在滨河科技园内,机器轰鸣。园区内年产十万吨薄膜项目已投产。", &[("年产十万吨薄膜项目", IN, "滨河科技园")]),
    // a visit to a place, then the sites seen there; a company named before its project: the project is the item
    (
        "观摩团走进寿光市,先后对金桥集团东方智造产业园和绿谷生物医药基地进行观摩。",
        &[
            ("东方智造产业园", IN, "寿光市"),
            ("绿谷生物医药基地", IN, "寿光市"),
            ("金桥集团有限公司", INV, "东方智造产业园"),
        ],
    ),
    // invests-in: a group's subsidiaries and parks; 旗下 opening a clause means the company named last
    (
        "金桥集团有限公司旗下星河电子有限公司投资建设滨河科技园。",
        &[("金桥集团有限公司", INV, "星河电子有限公司"), ("星河电子有限公司", INV, "滨河科技园")],
    ),
    ("金桥集团有限公司是知名企业,旗下东方智造产业园规模很大。", &[("金桥集团有限公司", INV, "东方智造产业园")]),
    // wholly-owned subsidiaries, named after or before their owner
    (
        "金桥集团有限公司全资子公司蓝海新材料有限公司落户寿光市。",
        &[("金桥集团有限公司", INV, "蓝海新材料有限公司"), ("蓝海新材料有限公司", IN, "寿光市")],
    ),
    ("蓝海新材料有限公司(金桥集团有限公司全资子公司)已投产。", &[("金桥集团有限公司", INV, "蓝海新材料有限公司")]),
    // 该公司 and its project
    (
        "星河电子有限公司成立于2010年。该公司年产十万吨薄膜项目已投产。",
        &[("星河电子有限公司", INV, "年产十万吨薄膜项目")],
    ),
    // projects under way in an article about one place
    (
        "寿光市项目建设提速\n随着东方智造产业园、绿谷生物医药基地等重大项目的加快建设,产业链不断完善。",
        &[("东方智造产业园", IN, "寿光市"), ("绿谷生物医药基地", IN, "寿光市")],
    ),
    // 建在, within a place, acting posts, a project's responsible person
    ("东方智造产业园建在寿光市。", &[("东方智造产业园", IN, "寿光市")]),
    (
        "寿光市境内的东方智造产业园、绿谷生物医药基地进展顺利。",
        &[("东方智造产业园", IN, "寿光市"), ("绿谷生物医药基地", IN, "寿光市")],
    ),
    ("寿光市项目建设提速\n市委副书记、代市长李华出席。", &[("李华", L, "寿光市")]),
    ("星河电子有限公司负责人赵强介绍,订单饱满。", &[("赵强", L, "星河电子有限公司")]),
    // jointly building
    (
        "金桥集团有限公司与星河电子有限公司合作建设东方智造产业园。",
        &[("金桥集团有限公司", INV, "东方智造产业园"), ("星河电子有限公司", INV, "东方智造产业园")],
    ),
    // the investor in a later clause
    ("东方智造产业园总投资20亿元,由金桥集团有限公司投资建设。", &[("金桥集团有限公司", INV, "东方智造产业园")]),
    // mentions: no entity, no edge
    ("高密度聚乙烯项目落户寿光市。", &[]),
    ("青州市和寿光市的企业参加展会。", &[]),
];

#[test]
fn rules_find_the_relations_each_sentence_states() {
    let mut dict = Dictionary::builtin().unwrap();
    dict.load_bytes(TEST_DICTIONARY.as_bytes(), "test.csv", true).unwrap();
    let matcher = Matcher::new(&dict).unwrap();
    let rules = RuleSet::builtin().unwrap();
    let extractor = Extractor::new(&dict, &matcher, &rules);
    assert!(CASES.len() >= 40);
    let mut failures = Vec::new();
    for (text, want) in CASES {
        let found = extractor.extract(&Document::new("t", *text));
        let got: BTreeSet<(String, String, String)> = found
            .relations
            .iter()
            .filter(|r| &*r.relation != CO_OCCURS)
            .map(|r| (dict.entity(r.head).name.clone(), r.relation.to_string(), dict.entity(r.tail).name.clone()))
            .collect();
        let want: BTreeSet<(String, String, String)> =
            want.iter().map(|(h, r, t)| (h.to_string(), r.to_string(), t.to_string())).collect();
        if got != want {
            failures.push(format!("{text}\n    want {want:?}\n    got  {got:?}"));
        }
    }
    assert!(failures.is_empty(), "{} of {} cases failed:\n{}", failures.len(), CASES.len(), failures.join("\n"));
}

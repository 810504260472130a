"""The demo survey's wording in the eight UI languages (original items; data, not catalog strings).

Every text is a tuple in the order of LANGS. No ethnicity, religion or mother-tongue question.
"""

from __future__ import annotations

LANGS = ("en", "mk", "sq", "sr", "sr_Latn", "tr", "ar", "rom")

TITLE = (
    "Living together in our city",
    "Заеднички живот во нашиот град",
    "Të jetuarit së bashku në qytetin tonë",
    "Заједнички живот у нашем граду",
    "Zajednički život u našem gradu",
    "Şehrimizde birlikte yaşamak",
    "العيش معًا في مدينتنا",
    "Khetane dživdipe ano amaro foro",
)

PURPOSE = (
    "This anonymous survey asks residents aged 18 and over how they feel about their "
    "neighbourhood, about people of other backgrounds and about local institutions. The local "
    "prevention network uses the combined answers to plan its work. It takes about five minutes.",
    "Оваа анонимна анкета ги прашува жителите на возраст од 18 и повеќе години како се "
    "чувствуваат во своето соседство, кон луѓето со поинакво потекло и кон локалните институции. "
    "Локалната мрежа за превенција ги користи збирните одговори за да ја планира својата работа. "
    "Пополнувањето трае околу пет минути.",
    "Ky pyetësor anonim u drejtohet banorëve 18 vjeç e lart dhe i pyet si ndihen në lagjen e "
    "tyre, ndaj njerëzve me prejardhje tjetër dhe ndaj institucioneve vendore. Rrjeti vendor i "
    "parandalimit i përdor përgjigjet e përmbledhura për të planifikuar punën e tij. Plotësimi "
    "zgjat rreth pesë minuta.",
    "Ова анонимна анкета пита становнике старије од 18 година како се осећају у свом комшилуку, "
    "према људима другачијег порекла и према локалним институцијама. Локална мрежа за превенцију "
    "користи збирне одговоре да би планирала свој рад. Попуњавање траје око пет минута.",
    "Ova anonimna anketa pita stanovnike starije od 18 godina kako se osećaju u svom komšiluku, "
    "prema ljudima drugačijeg porekla i prema lokalnim institucijama. Lokalna mreža za "
    "prevenciju koristi zbirne odgovore da bi planirala svoj rad. Popunjavanje traje oko pet "
    "minuta.",
    "Bu anonim anket, 18 yaş ve üzeri sakinlere mahallelerinde, farklı kökenlerden insanlara ve "
    "yerel kurumlara karşı kendilerini nasıl hissettiklerini sorar. Yerel önleme ağı, toplu "
    "yanıtları çalışmalarını planlamak için kullanır. Yanıtlamak yaklaşık beş dakika sürer.",
    "يسأل هذا الاستبيان المجهول الهوية السكانَ الذين تبلغ أعمارهم 18 عامًا فأكثر عن شعورهم تجاه "
    "حيّهم، وتجاه الناس من خلفيات مختلفة، وتجاه المؤسسات المحلية. تستخدم شبكة الوقاية المحلية "
    "الإجابات المجمّعة لتخطيط عملها. يستغرق ملء الاستبيان نحو خمس دقائق.",
    "Akaja anonimno anketa pučhela e themutnen save si 18 berš vaj pobut sar ašunen pe ano piro "
    "maalo, karing e manuša avere poteklostar thaj karing e lokalno institucie. I lokalno mreža "
    "baši prevencia koristinela e khetane phenipa te planirinel piri buti. O pheripe ćhinela "
    "paše pandž minutija.",
)

LIKERT = (
    ("Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree", "Strongly agree"),
    ("Воопшто не се согласувам", "Не се согласувам", "Ниту се согласувам ниту не се согласувам",
     "Се согласувам", "Целосно се согласувам"),
    ("Nuk pajtohem aspak", "Nuk pajtohem", "As pajtohem as nuk pajtohem", "Pajtohem",
     "Pajtohem plotësisht"),
    ("Уопште се не слажем", "Не слажем се", "Нити се слажем нити се не слажем", "Слажем се",
     "Потпуно се слажем"),
    ("Uopšte se ne slažem", "Ne slažem se", "Niti se slažem niti se ne slažem", "Slažem se",
     "Potpuno se slažem"),
    ("Kesinlikle katılmıyorum", "Katılmıyorum", "Ne katılıyorum ne katılmıyorum", "Katılıyorum",
     "Kesinlikle katılıyorum"),
    ("لا أوافق إطلاقًا", "لا أوافق", "لا أوافق ولا أعارض", "أوافق", "أوافق بشدة"),
    ("Ič na složinava man", "Na složinava man", "Ni složinava man ni na složinava man",
     "Složinava man", "Sasvim složinava man"),
)

SECTIONS = {
    "neighbourhood": ("Your neighbourhood", "Вашето соседство", "Lagjja juaj", "Ваш комшилук",
                      "Vaš komšiluk", "Mahalleniz", "حيّك", "Tumaro maalo"),
    "people": ("People in your city", "Луѓето во вашиот град", "Njerëzit në qytetin tuaj",
               "Људи у вашем граду", "Ljudi u vašem gradu", "Şehrinizdeki insanlar",
               "الناس في مدينتك", "E manuša ano tumaro foro"),
    "institutions": ("Local institutions and young people", "Локалните институции и младите",
                     "Institucionet vendore dhe të rinjtë", "Локалне институције и млади",
                     "Lokalne institucije i mladi", "Yerel kurumlar ve gençler",
                     "المؤسسات المحلية والشباب", "Lokalno institucie thaj e terne"),
    "dialogue": ("Dialogue and help", "Дијалог и помош", "Dialogu dhe ndihma", "Дијалог и помоћ",
                 "Dijalog i pomoć", "Diyalog ve yardım", "الحوار والمساعدة",
                 "Dijalogo thaj žutipe"),
    "about_you": ("About you", "За вас", "Për ju", "О вама", "O vama", "Sizin hakkınızda", "عنك",
                  "Tumendar"),
}

# name, section, subscale, reverse, prefer_not, wording
ITEMS = (
    ("belonging_home", "neighbourhood", "belonging", False, False, (
        "I feel at home in my neighbourhood.",
        "Се чувствувам како дома во моето соседство.",
        "Ndihem si në shtëpi në lagjen time.",
        "Осећам се као код куће у свом комшилуку.",
        "Osećam se kao kod kuće u svom komšiluku.",
        "Mahallemde kendimi evimde gibi hissediyorum.",
        "أشعر بأنني في بيتي في الحيّ الذي أسكن فيه.",
        "Ašunav man sar khere ano mingro maalo.")),
    ("belonging_stay", "neighbourhood", "belonging", False, False, (
        "I would like to still be living in this municipality five years from now.",
        "Би сакал/а и за пет години сè уште да живеам во оваа општина.",
        "Do të doja që edhe pas pesë vjetësh të jetoj ende në këtë komunë.",
        "Волео/ла бих да и за пет година и даље живим у овој општини.",
        "Voleo/la bih da i za pet godina i dalje živim u ovoj opštini.",
        "Beş yıl sonra da bu belediyede yaşamaya devam etmek isterim.",
        "أودّ أن أظلّ أعيش في هذه البلدية بعد خمس سنوات من الآن.",
        "Mangava te dživdinav ani akaja opština vi pala pandž berš.")),
    ("bridging_talk", "people", "bridging", False, False, (
        "In the past month I have had a friendly conversation with someone whose background is "
        "different from mine.",
        "Во изминатиот месец имав пријателски разговор со некого чие потекло е различно од моето.",
        "Gjatë muajit të kaluar kam pasur një bisedë miqësore me dikë me prejardhje të ndryshme "
        "nga e imja.",
        "Током протеклог месеца имао/ла сам пријатељски разговор са неким чије је порекло "
        "другачије од мог.",
        "Tokom proteklog meseca imao/la sam prijateljski razgovor sa nekim čije je poreklo "
        "drugačije od mog.",
        "Geçen ay, kökeni benimkinden farklı olan biriyle dostça bir sohbet ettim.",
        "خلال الشهر الماضي أجريتُ حديثًا وديًّا مع شخص تختلف خلفيته عن خلفيتي.",
        "Ano nakhlo čhon sine man amalikano vakeripe jekhe manušeja kaso poteklo si averčhando "
        "mlestar.")),
    ("bridging_get_on", "people", "bridging", False, False, (
        "People of different backgrounds in this city get on well with each other.",
        "Луѓето со различно потекло во овој град добро се сложуваат меѓу себе.",
        "Njerëzit me prejardhje të ndryshme në këtë qytet shkojnë mirë me njëri-tjetrin.",
        "Људи различитог порекла у овом граду добро се слажу међусобно.",
        "Ljudi različitog porekla u ovom gradu dobro se slažu međusobno.",
        "Bu şehirde farklı kökenlerden insanlar birbirleriyle iyi geçinir.",
        "يتعايش الناس من خلفيات مختلفة في هذه المدينة بشكل جيد مع بعضهم بعضًا.",
        "E manuša averčhande potekloja ano akava foro šukar džana jekh averea.")),
    ("bridging_project", "people", "bridging", False, False, (
        "I would be comfortable working on a neighbourhood project with residents from any part "
        "of the city.",
        "Би се чувствувал/а пријатно да работам на проект во соседството со жители од кој било "
        "дел на градот.",
        "Do të ndihesha rehat të punoja në një projekt të lagjes me banorë nga çdo pjesë e "
        "qytetit.",
        "Било би ми пријатно да радим на пројекту у комшилуку са становницима из било ког дела "
        "града.",
        "Bilo bi mi prijatno da radim na projektu u komšiluku sa stanovnicima iz bilo kog dela "
        "grada.",
        "Şehrin her yerinden sakinlerle bir mahalle projesinde rahatça çalışabilirim.",
        "سأكون مرتاحًا للعمل في مشروع للحيّ مع سكان من أي جزء من المدينة.",
        "Ka ašunav man lačhe te kerav buti ko jekh projekto baši o maalo e themutnenca andar "
        "sako kotor e forosko.")),
    ("efficacy_together", "people", "collective_efficacy", False, False, (
        "If a problem affected my neighbourhood, people here would work together to solve it.",
        "Ако некој проблем го погоди моето соседство, луѓето тука би соработувале за да го "
        "решат.",
        "Nëse një problem do të prekte lagjen time, njerëzit këtu do të punonin së bashku për ta "
        "zgjidhur.",
        "Ако би неки проблем погодио мој комшилук, људи овде би заједно радили да га реше.",
        "Ako bi neki problem pogodio moj komšiluk, ljudi ovde bi zajedno radili da ga reše.",
        "Mahallemi etkileyen bir sorun olsa, buradaki insanlar onu çözmek için birlikte "
        "çalışırdı.",
        "إذا أثّرت مشكلة على حيّي، فسيعمل الناس هنا معًا لحلّها.",
        "Te avela jekh problemo ano mingro maalo, e manuša akate ka keren khetane buti te "
        "rešinen les.")),
    ("linking_fair", "institutions", "linking", False, True, (
        "The municipality treats all residents fairly, whatever their background.",
        "Општината се однесува праведно кон сите жители, без оглед на нивното потекло.",
        "Komuna i trajton të gjithë banorët në mënyrë të drejtë, pavarësisht prejardhjes së tyre.",
        "Општина се према свим становницима односи праведно, без обзира на њихово порекло.",
        "Opština se prema svim stanovnicima odnosi pravedno, bez obzira na njihovo poreklo.",
        "Belediye, kökenleri ne olursa olsun tüm sakinlere adil davranır.",
        "تعامل البلدية جميع السكان بإنصاف، أيًّا كانت خلفياتهم.",
        "I opština kerela pravdikane sa e themutnenca, bizo te dikhel lengoro poteklo.")),
    ("linking_heard", "institutions", "linking", False, True, (
        "If I raised a concern with a local institution, it would be taken seriously.",
        "Ако изразам загриженост пред локална институција, тоа би се сфатило сериозно.",
        "Nëse do të ngrija një shqetësim para një institucioni vendor, ai do të merrej "
        "seriozisht.",
        "Ако бих локалној институцији пријавио/ла неки проблем, то би било схваћено озбиљно.",
        "Ako bih lokalnoj instituciji prijavio/la neki problem, to bi bilo shvaćeno ozbiljno.",
        "Yerel bir kuruma bir endişemi iletsem, ciddiye alınırdı.",
        "إذا رفعتُ مخاوفي إلى مؤسسة محلية، فستؤخذ على محمل الجد.",
        "Te phenava jekh brigi jekhe lokalno instituciake, ka len la seriozno.")),
    ("linking_contact", "institutions", "linking", False, True, (
        "I know whom to contact locally if I am worried about tension or hate incidents in my "
        "area.",
        "Знам кого да контактирам локално ако сум загрижен/а поради тензии или инциденти од "
        "омраза во мојата средина.",
        "E di me kë të kontaktoj në nivel vendor nëse shqetësohem për tensione ose incidente "
        "urrejtjeje në zonën time.",
        "Знам кога да контактирам на локалном нивоу ако сам забринут/а због тензија или "
        "инцидената из мржње у свом крају.",
        "Znam koga da kontaktiram na lokalnom nivou ako sam zabrinut/a zbog tenzija ili "
        "incidenata iz mržnje u svom kraju.",
        "Bölgemdeki gerginlikler ya da nefret olayları konusunda endişelenirsem yerel olarak "
        "kime başvuracağımı biliyorum.",
        "أعرف بمن أتصل محليًّا إذا شعرتُ بالقلق من توترات أو حوادث كراهية في منطقتي.",
        "Džanav kas te kontaktirinav lokalno te si man brigi baši tenzie vaj incidentija "
        "mrznjatar ano mingro kotor.")),
    ("youth_voice", "institutions", "youth_voice", False, False, (
        "Young people in this city have real chances to influence local decisions.",
        "Младите во овој град имаат вистински можности да влијаат врз локалните одлуки.",
        "Të rinjtë në këtë qytet kanë mundësi të vërteta për të ndikuar në vendimet vendore.",
        "Млади у овом граду имају стварне прилике да утичу на локалне одлуке.",
        "Mladi u ovom gradu imaju stvarne prilike da utiču na lokalne odluke.",
        "Bu şehirdeki gençlerin yerel kararları etkilemek için gerçek fırsatları var.",
        "لدى الشباب في هذه المدينة فرص حقيقية للتأثير في القرارات المحلية.",
        "E terne ano akava foro isi len čače šanse te vlijainen ko lokalno odluke.")),
    ("nonviolence_dialogue", "dialogue", "non_violence", False, True, (
        "Disagreements between groups in this city can be settled through dialogue.",
        "Несогласувањата меѓу групите во овој град можат да се решат преку дијалог.",
        "Mosmarrëveshjet midis grupeve në këtë qytet mund të zgjidhen me dialog.",
        "Несугласице између група у овом граду могу се решити дијалогом.",
        "Nesuglasice između grupa u ovom gradu mogu se rešiti dijalogom.",
        "Bu şehirdeki gruplar arasındaki anlaşmazlıklar diyalog yoluyla çözülebilir.",
        "يمكن حلّ الخلافات بين الجماعات في هذه المدينة عن طريق الحوار.",
        "E nasuglasie maškar e grupe ano akava foro šaj te rešinen pe dijalogoja.")),
    ("nonviolence_heard", "dialogue", "non_violence", True, True, (
        "Sometimes violence is the only way for a group to be heard.",
        "Понекогаш насилството е единствениот начин една група да биде сослушана.",
        "Ndonjëherë dhuna është mënyra e vetme që një grup të dëgjohet.",
        "Понекад је насиље једини начин да се нека група чује.",
        "Ponekad je nasilje jedini način da se neka grupa čuje.",
        "Bazen şiddet, bir grubun sesini duyurmasının tek yoludur.",
        "أحيانًا يكون العنف الطريقة الوحيدة لكي يُسمَع صوت جماعة ما.",
        "Nekobar o nasilstvo si o jekhutno drom jekh grupa te šunel pe.")),
)

HELP = (
    "If you saw a hate or discrimination incident, whom would you contact?",
    "Ако видите инцидент од омраза или дискриминација, кого би контактирале?",
    "Nëse do të shihnit një incident urrejtjeje ose diskriminimi, me kë do të kontaktonit?",
    "Ако бисте видели инцидент из мржње или дискриминацију, кога бисте контактирали?",
    "Ako biste videli incident iz mržnje ili diskriminaciju, koga biste kontaktirali?",
    "Bir nefret ya da ayrımcılık olayı görseniz kime başvururdunuz?",
    "إذا رأيت حادثة كراهية أو تمييز، بمن ستتصل؟",
    "Te dikhena jekh incidento mrznjatar vaj diskriminacija, kas ka kontaktirinen?",
)
HELP_HINT = ("Choose all that apply.", "Изберете сè што важи.", "Zgjidhni të gjitha që vlejnë.",
             "Изаберите све што важи.", "Izaberite sve što važi.",
             "Uygun olanların hepsini seçin.", "اختر كل ما ينطبق.", "Alosaren sa so važinela.")
HELP_CHOICES = (
    ("municipality", ("The municipality", "Општината", "Komunën", "Општину", "Opštinu",
                      "Belediyeye", "البلدية", "E opština")),
    ("police", ("The police", "Полицијата", "Policinë", "Полицију", "Policiju", "Polise",
                "الشرطة", "E policia")),
    ("school", ("A school", "Училиште", "Një shkollë", "Школу", "Školu", "Bir okula", "مدرسة",
                "Jekh škola")),
    ("religious_leader", ("A religious leader", "Верски водач", "Një udhëheqës fetar",
                          "Верског вођу", "Verskog vođu", "Bir din önderine", "قائدًا دينيًّا",
                          "Jekh religiozno vodači")),
    ("ngo", ("A civil society organisation (NGO)", "Граѓанска организација (НВО)",
             "Një organizatë të shoqërisë civile (OJQ)", "Организацију цивилног друштва (НВО)",
             "Organizaciju civilnog društva (NVO)", "Bir sivil toplum kuruluşuna (STK)",
             "منظمة من منظمات المجتمع المدني", "Jekh organizacia andar o civilno društvo (NVO)")),
    ("family_friends", ("Family or friends", "Семејството или пријателите",
                        "Familjen ose miqtë", "Породицу или пријатеље", "Porodicu ili prijatelje",
                        "Aileme ya da arkadaşlarıma", "العائلة أو الأصدقاء",
                        "E familija vaj e amalen")),
    ("nobody", ("Nobody", "Никого", "Askënd", "Никога", "Nikoga", "Hiç kimseye", "لا أحد",
                "Khonikas")),
)

AGE = ("How old are you?", "Колку години имате?", "Sa vjeç jeni?", "Колико имате година?",
       "Koliko imate godina?", "Kaç yaşındasınız?", "كم عمرك؟", "Kobor berš isi tumen?")
AGE_BANDS = (("18_24", "18–24"), ("25_34", "25–34"), ("35_49", "35–49"), ("50_64", "50–64"),
             ("65_plus", "65+"))
AGE_65_AR = "65 فأكثر"

GENDER = ("What is your gender?", "Кој е вашиот пол?", "Cila është gjinia juaj?",
          "Ког сте пола?", "Kog ste pola?", "Cinsiyetiniz nedir?", "ما جنسك؟",
          "Savo si tumaro pol?")
GENDER_CHOICES = (
    ("woman", ("Woman", "Жена", "Grua", "Жена", "Žena", "Kadın", "امرأة", "Džuvli")),
    ("man", ("Man", "Маж", "Burrë", "Мушкарац", "Muškarac", "Erkek", "رجل", "Murš")),
    ("another", ("In another way", "На друг начин", "Në një mënyrë tjetër", "На други начин",
                 "Na drugi način", "Başka bir şekilde", "بطريقة أخرى", "Avere čhandeja")),
)

AREA = ("In which part of the city do you live?", "Во кој дел од градот живеете?",
        "Në cilën pjesë të qytetit jetoni?", "У ком делу града живите?",
        "U kom delu grada živite?", "Şehrin hangi bölümünde yaşıyorsunuz?",
        "في أي جزء من المدينة تسكن؟", "Ane savo kotor e forosko dživdinen?")
AREA_DEFAULTS = (
    ("centre", ("Centre", "Центар", "Qendër", "Центар", "Centar", "Merkez", "الوسط", "Centro")),
    ("north", ("North", "Север", "Veri", "Север", "Sever", "Kuzey", "الشمال", "Sever")),
    ("south", ("South", "Југ", "Jug", "Југ", "Jug", "Güney", "الجنوب", "Jug")),
    ("east", ("East", "Исток", "Lindje", "Исток", "Istok", "Doğu", "الشرق", "Istok")),
    ("west", ("West", "Запад", "Perëndim", "Запад", "Zapad", "Batı", "الغرب", "Zapad")),
    ("villages", ("Surrounding villages", "Околни села", "Fshatrat përreth", "Околна села",
                  "Okolna sela", "Çevre köyler", "القرى المحيطة", "Gava paše o foro")),
)

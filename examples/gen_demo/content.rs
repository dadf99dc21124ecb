//! Hand-written interview material. Every non-English line carries its
//! English translation; summaries are in English, as the vendor's AI writes
//! them.

/// A line as spoken, and its English translation (`None` for English).
pub type Line = (&'static str, Option<&'static str>);

/// How much an answer says.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Depth {
    /// Specific, with a follow-up detail.
    Rich,
    /// Usable but short.
    Plain,
    /// Says almost nothing.
    Thin,
}

pub struct Answer {
    pub depth: Depth,
    pub text: Line,
    /// The respondent's reply to the interviewer's probe (rich answers).
    pub detail: Option<Line>,
    pub summary: Option<&'static str>,
}

pub struct Question {
    pub asked: Line,
    pub answers: Vec<Answer>,
}

pub struct Script {
    pub language: &'static str,
    pub greeting: Line,
    pub probe: Line,
    pub closing: Line,
    pub questions: Vec<Question>,
}

fn rich(text: Line, detail: Line, summary: &'static str) -> Answer {
    Answer {
        depth: Depth::Rich,
        text,
        detail: Some(detail),
        summary: Some(summary),
    }
}
fn plain(text: Line, summary: &'static str) -> Answer {
    Answer {
        depth: Depth::Plain,
        text,
        detail: None,
        summary: Some(summary),
    }
}
fn thin(text: Line, summary: Option<&'static str>) -> Answer {
    Answer {
        depth: Depth::Thin,
        text,
        detail: None,
        summary,
    }
}
fn en(s: &'static str) -> Line {
    (s, None)
}
fn tr(s: &'static str, english: &'static str) -> Line {
    (s, Some(english))
}

pub const CHECKOUT_QUESTIONS: [&str; 4] = [
    "What was your first impression of the new checkout?",
    "Tell me about the last time something went wrong while paying.",
    "How do you usually choose a delivery slot?",
    "What would make you recommend Larder to a friend?",
];

pub fn checkout_scripts() -> Vec<Script> {
    vec![
        Script {
            language: "en",
            greeting: en(
                "Thanks for joining today. I'd like to hear about how you shop with Larder, especially the new checkout. There are no right or wrong answers.",
            ),
            probe: en("Could you tell me a bit more about that?"),
            closing: en("That's everything I wanted to ask. Thank you, this was really helpful."),
            questions: vec![
                Question {
                    asked: en(
                        "Let's start with the new checkout. What was your first impression when you used it?",
                    ),
                    answers: vec![
                        rich(
                            en(
                                "Honestly it felt faster. Everything is on one page now, so I'm not clicking through four screens. The only thing is I didn't see the total with the delivery fee until the very end, and that made me nervous.",
                            ),
                            en(
                                "I had a coupon and I wanted to know if it had applied before I put my card in. I scrolled up and down looking for it.",
                            ),
                            "Likes the one-page layout but could not see the total with fees until the last step",
                        ),
                        rich(
                            en(
                                "It's cleaner, I'll give it that. But the substitutions toggle moved, and I only noticed after the order arrived with oat milk instead of the normal milk I wanted.",
                            ),
                            en(
                                "Before, it asked me per item. Now it's one switch at the top and it was on by default.",
                            ),
                            "Finds it cleaner, but missed the moved substitutions setting and got an unwanted substitute",
                        ),
                        plain(
                            en("It was fine. Quicker than the old one, I think."),
                            "Found the new checkout quicker than the old one",
                        ),
                        thin(en("Not sure. It's okay."), None),
                    ],
                },
                Question {
                    asked: en(
                        "Tell me about the last time something went wrong while you were paying.",
                    ),
                    answers: vec![
                        rich(
                            en(
                                "Last week my card was declined twice with no reason given. It just said 'payment failed'. I tried Apple Pay and that went through, but I still don't know what was wrong with the card.",
                            ),
                            en(
                                "My bank app showed no declined payment at all, so I think it was on your side. A message saying what to do would have saved me ten minutes.",
                            ),
                            "Card declined twice with no explanation; succeeded with Apple Pay; wants a reason and next step",
                        ),
                        rich(
                            en(
                                "The 3-D Secure window opened behind the app on my laptop and the checkout just sat there spinning. I thought it had frozen, so I refreshed and ended up with two pending charges.",
                            ),
                            en(
                                "They disappeared after a couple of days, but I was really worried I'd paid twice.",
                            ),
                            "Bank verification window hid behind the app; refreshed and saw two pending charges",
                        ),
                        plain(
                            en(
                                "Once the promo code didn't work, but support sorted it out the same day.",
                            ),
                            "A promo code failed once; support fixed it the same day",
                        ),
                        thin(
                            en("Nothing really went wrong."),
                            Some("Reports no payment problems"),
                        ),
                    ],
                },
                Question {
                    asked: en("How do you usually choose a delivery slot?"),
                    answers: vec![
                        rich(
                            en(
                                "I look for the cheapest slot that fits around picking up my kids. The evening ones are usually gone by Thursday, so I've started booking on Monday even if I haven't planned the meals yet.",
                            ),
                            en(
                                "Then I keep editing the basket all week until the cut-off. It would help if the app reminded me when the cut-off is coming.",
                            ),
                            "Books the cheapest slot early around childcare; edits the basket until cut-off; wants a cut-off reminder",
                        ),
                        plain(
                            en("Usually the first free evening slot."),
                            "Picks the first free evening slot",
                        ),
                        thin(en("I just pick one."), None),
                    ],
                },
                Question {
                    asked: en("What would make you recommend Larder to a friend?"),
                    answers: vec![
                        rich(
                            en(
                                "If the prices were clearer. I already tell friends the produce is good, but the fees change depending on the slot, and people hate surprises at the end.",
                            ),
                            en(
                                "Something like showing the fee right on the slot picker, before you start shopping.",
                            ),
                            "Would recommend with clearer fees; wants fees shown on the slot picker up front",
                        ),
                        plain(
                            en("Maybe a discount for referring people."),
                            "A referral discount",
                        ),
                        thin(en("I don't know."), None),
                    ],
                },
            ],
        },
        Script {
            language: "es",
            greeting: tr(
                "Gracias por acompañarme hoy. Me gustaría saber cómo haces la compra con Larder, sobre todo con el nuevo proceso de pago. No hay respuestas correctas ni incorrectas.",
                "Thank you for joining me today. I'd like to know how you shop with Larder, especially with the new checkout. There are no right or wrong answers.",
            ),
            probe: tr(
                "¿Podrías contarme un poco más sobre eso?",
                "Could you tell me a bit more about that?",
            ),
            closing: tr(
                "Eso es todo lo que quería preguntarte. Muchas gracias, me has ayudado mucho.",
                "That's everything I wanted to ask you. Thank you very much, you've helped me a lot.",
            ),
            questions: vec![
                Question {
                    asked: tr(
                        "Empecemos por el nuevo proceso de pago. ¿Cuál fue tu primera impresión al usarlo?",
                        "Let's start with the new checkout. What was your first impression when you used it?",
                    ),
                    answers: vec![
                        rich(
                            tr(
                                "Me pareció mucho más rápido, todo está en una sola página. Pero no vi el total con los gastos de envío hasta el último paso y eso me dio desconfianza.",
                                "It seemed much faster to me, everything is on a single page. But I didn't see the total with the delivery costs until the last step and that made me distrustful.",
                            ),
                            tr(
                                "Tenía un cupón y quería comprobar que se había aplicado antes de meter la tarjeta.",
                                "I had a coupon and wanted to check that it had been applied before entering my card.",
                            ),
                            "Finds the one-page checkout faster but distrusted not seeing the total with delivery costs until the end",
                        ),
                        thin(
                            tr("Normal, nada especial.", "Normal, nothing special."),
                            None,
                        ),
                    ],
                },
                Question {
                    asked: tr(
                        "Cuéntame la última vez que algo salió mal al pagar.",
                        "Tell me about the last time something went wrong when paying.",
                    ),
                    answers: vec![
                        rich(
                            tr(
                                "La semana pasada me rechazaron la tarjeta dos veces sin ninguna explicación. Al final pagué con PayPal, pero sigo sin saber qué pasó.",
                                "Last week my card was rejected twice without any explanation. In the end I paid with PayPal, but I still don't know what happened.",
                            ),
                            tr(
                                "En la app de mi banco no aparecía ningún intento de cobro, así que creo que el problema era vuestro.",
                                "No charge attempt appeared in my bank's app, so I think the problem was on your side.",
                            ),
                            "Card rejected twice without explanation; paid with PayPal; the bank showed no attempt",
                        ),
                        thin(
                            tr("Ninguna vez, la verdad.", "Never, to be honest."),
                            Some("Reports no payment problems"),
                        ),
                    ],
                },
                Question {
                    asked: tr(
                        "¿Cómo sueles elegir la franja de entrega?",
                        "How do you usually choose the delivery slot?",
                    ),
                    answers: vec![
                        rich(
                            tr(
                                "Elijo la franja más barata que me cuadre con el trabajo. Los sábados por la mañana se llenan enseguida, así que reservo el lunes aunque todavía no sepa qué voy a comprar.",
                                "I choose the cheapest slot that fits with work. Saturday mornings fill up right away, so I book on Monday even if I don't know yet what I'm going to buy.",
                            ),
                            tr(
                                "Luego voy cambiando la cesta durante la semana. Un aviso antes del cierre de pedidos me vendría muy bien.",
                                "Then I keep changing the basket during the week. A reminder before the order cut-off would be very useful.",
                            ),
                            "Books the cheapest slot early in the week; wants a reminder before the cut-off",
                        ),
                        thin(tr("La primera que haya.", "Whichever comes first."), None),
                    ],
                },
                Question {
                    asked: tr(
                        "¿Qué haría que recomendaras Larder a un amigo?",
                        "What would make you recommend Larder to a friend?",
                    ),
                    answers: vec![
                        rich(
                            tr(
                                "Que los precios fueran más claros. La fruta y la verdura son buenísimas, pero los gastos de envío cambian según la franja y eso no le gusta a nadie.",
                                "If the prices were clearer. The fruit and vegetables are excellent, but the delivery costs change depending on the slot and nobody likes that.",
                            ),
                            tr(
                                "Podríais mostrar el coste de envío en cada franja antes de empezar a comprar.",
                                "You could show the delivery cost on each slot before starting to shop.",
                            ),
                            "Would recommend with clearer delivery costs shown per slot up front",
                        ),
                        thin(
                            tr(
                                "No sé, ya lo recomiendo.",
                                "I don't know, I already recommend it.",
                            ),
                            Some("Already recommends it"),
                        ),
                    ],
                },
            ],
        },
        Script {
            language: "de",
            greeting: tr(
                "Danke, dass Sie sich heute Zeit nehmen. Ich möchte gern erfahren, wie Sie bei Larder einkaufen, vor allem mit dem neuen Bezahlvorgang. Es gibt keine richtigen oder falschen Antworten.",
                "Thank you for taking the time today. I'd like to learn how you shop at Larder, especially with the new checkout. There are no right or wrong answers.",
            ),
            probe: tr(
                "Können Sie mir dazu etwas mehr erzählen?",
                "Can you tell me a little more about that?",
            ),
            closing: tr(
                "Das war alles, was ich fragen wollte. Vielen Dank, das hat mir sehr geholfen.",
                "That was everything I wanted to ask. Thank you very much, that helped me a lot.",
            ),
            questions: vec![
                Question {
                    asked: tr(
                        "Fangen wir mit dem neuen Bezahlvorgang an. Was war Ihr erster Eindruck?",
                        "Let's start with the new checkout. What was your first impression?",
                    ),
                    answers: vec![
                        rich(
                            tr(
                                "Übersichtlicher als vorher, das schon. Aber die Einstellung für Ersatzprodukte ist verschwunden, und prompt kam Hafermilch statt meiner normalen Milch.",
                                "Clearer than before, that's true. But the setting for substitute products disappeared, and sure enough oat milk came instead of my normal milk.",
                            ),
                            tr(
                                "Früher wurde ich bei jedem Artikel gefragt. Jetzt ist es ein Schalter ganz oben, und der war standardmäßig an.",
                                "Before, I was asked for each item. Now it's one switch at the very top, and it was on by default.",
                            ),
                            "Finds it clearer, but the moved substitutions switch was on by default and brought an unwanted substitute",
                        ),
                        thin(tr("Ganz okay.", "Quite okay."), None),
                    ],
                },
                Question {
                    asked: tr(
                        "Erzählen Sie mir vom letzten Mal, als beim Bezahlen etwas schiefging.",
                        "Tell me about the last time something went wrong when paying.",
                    ),
                    answers: vec![
                        rich(
                            tr(
                                "Das Fenster für die Bankbestätigung ging hinter der App auf, und der Bezahlvorgang hing einfach. Ich habe neu geladen und hatte danach zwei vorgemerkte Abbuchungen.",
                                "The window for the bank confirmation opened behind the app, and the checkout just hung. I reloaded and afterwards had two pending charges.",
                            ),
                            tr(
                                "Nach zwei Tagen war eine wieder weg, aber ich hatte echt Sorge, doppelt bezahlt zu haben.",
                                "After two days one was gone again, but I was really worried I had paid twice.",
                            ),
                            "Bank confirmation window opened behind the app; reloading left two pending charges",
                        ),
                        thin(
                            tr("Eigentlich nie.", "Actually never."),
                            Some("Reports no payment problems"),
                        ),
                    ],
                },
                Question {
                    asked: tr(
                        "Wie wählen Sie normalerweise Ihr Lieferfenster aus?",
                        "How do you normally choose your delivery window?",
                    ),
                    answers: vec![
                        rich(
                            tr(
                                "Ich nehme meistens das späte Fenster am Dienstag, weil ich dann Homeoffice habe. Wenn es weg ist, verschiebe ich lieber auf Mittwoch, als mehr zu zahlen.",
                                "I usually take the late window on Tuesday, because I work from home then. If it's gone, I'd rather postpone to Wednesday than pay more.",
                            ),
                            tr(
                                "Die Liefergebühr ist für mich wichtiger als der Tag.",
                                "The delivery fee matters more to me than the day.",
                            ),
                            "Chooses around home-office days; would rather wait a day than pay a higher fee",
                        ),
                        thin(tr("Irgendeins, das passt.", "Any one that fits."), None),
                    ],
                },
                Question {
                    asked: tr(
                        "Was müsste passieren, damit Sie Larder einem Freund empfehlen?",
                        "What would have to happen for you to recommend Larder to a friend?",
                    ),
                    answers: vec![
                        rich(
                            tr(
                                "Wenn die Liefergebühr von Anfang an klar wäre. Die Qualität stimmt, aber die Überraschung am Ende nervt.",
                                "If the delivery fee were clear from the start. The quality is right, but the surprise at the end is annoying.",
                            ),
                            tr(
                                "Zeigen Sie die Gebühr doch direkt bei der Auswahl des Lieferfensters an.",
                                "Why not show the fee directly when choosing the delivery window.",
                            ),
                            "Would recommend if the delivery fee were clear from the start, shown on the slot picker",
                        ),
                        thin(tr("Weiß nicht.", "Don't know."), None),
                    ],
                },
            ],
        },
        Script {
            language: "ja",
            greeting: tr(
                "本日はご参加いただきありがとうございます。Larderでのお買い物、特に新しい決済画面についてお聞かせください。正解も不正解もありません。",
                "Thank you for joining today. Please tell me about shopping with Larder, especially the new checkout screen. There are no right or wrong answers.",
            ),
            probe: tr(
                "その点について、もう少し詳しく教えていただけますか？",
                "Could you tell me a little more about that?",
            ),
            closing: tr(
                "お聞きしたいことは以上です。大変参考になりました。ありがとうございました。",
                "That is all I wanted to ask. It was very helpful. Thank you very much.",
            ),
            questions: vec![
                Question {
                    asked: tr(
                        "まず新しい決済画面についてです。最初に使ったときの印象はいかがでしたか？",
                        "First, about the new checkout screen. What was your impression when you first used it?",
                    ),
                    answers: vec![
                        rich(
                            tr(
                                "一ページにまとまっていて速くなったと思います。ただ、送料込みの合計金額が最後まで表示されなかったので、少し不安になりました。",
                                "I think it became faster because it's all on one page. However, the total including the delivery fee wasn't shown until the end, so I felt a little uneasy.",
                            ),
                            tr(
                                "クーポンが適用されたかどうか、カード番号を入れる前に確認したかったんです。",
                                "I wanted to confirm whether the coupon had been applied before entering my card number.",
                            ),
                            "Finds the one-page checkout faster; uneasy that the total with delivery fee appeared only at the end",
                        ),
                        thin(tr("普通です。", "It's ordinary."), None),
                    ],
                },
                Question {
                    asked: tr(
                        "支払いの際に最後に何か問題が起きたときのことを教えてください。",
                        "Please tell me about the last time something went wrong when paying.",
                    ),
                    answers: vec![
                        rich(
                            tr(
                                "先週、理由の説明なしにカードが二回拒否されました。結局コンビニ払いにしましたが、何が原因だったのか今も分かりません。",
                                "Last week my card was declined twice without any explanation. In the end I switched to paying at a convenience store, but I still don't know what caused it.",
                            ),
                            tr(
                                "エラーメッセージに次に何をすればいいか書いてあれば助かります。",
                                "It would help if the error message said what to do next.",
                            ),
                            "Card declined twice with no reason; paid at a convenience store; wants next steps in the error",
                        ),
                        thin(
                            tr("特にありません。", "Nothing in particular."),
                            Some("Reports no payment problems"),
                        ),
                    ],
                },
                Question {
                    asked: tr(
                        "配達時間帯はいつもどのように選んでいますか？",
                        "How do you usually choose the delivery time slot?",
                    ),
                    answers: vec![
                        rich(
                            tr(
                                "子どもの迎えがあるので、夕方六時以降の便を選びます。人気の時間帯は水曜日にはもう埋まってしまうので、月曜日に予約しています。",
                                "Because I pick up my child, I choose deliveries after six in the evening. The popular slots are already full by Wednesday, so I book on Monday.",
                            ),
                            tr(
                                "締め切り前に通知が来ると、買い忘れが減ると思います。",
                                "If a notification came before the cut-off, I think I would forget fewer things.",
                            ),
                            "Books evening slots on Monday around childcare; wants a notification before the cut-off",
                        ),
                        thin(
                            tr(
                                "空いている時間にします。",
                                "I choose whatever time is free.",
                            ),
                            None,
                        ),
                    ],
                },
                Question {
                    asked: tr(
                        "どうなれば友人にLarderを勧めたいと思いますか？",
                        "What would make you want to recommend Larder to a friend?",
                    ),
                    answers: vec![
                        rich(
                            tr(
                                "送料がもっと分かりやすければ勧めます。野菜の質はとても良いのですが、時間帯によって送料が変わるのが分かりにくいです。",
                                "I would recommend it if the delivery fee were easier to understand. The quality of the vegetables is very good, but it's confusing that the fee changes depending on the time slot.",
                            ),
                            tr(
                                "時間帯を選ぶ画面に送料を表示してほしいです。",
                                "I'd like the delivery fee shown on the screen where you choose the time slot.",
                            ),
                            "Would recommend with clearer fees; wants the fee on the slot selection screen",
                        ),
                        thin(tr("分かりません。", "I don't know."), None),
                    ],
                },
            ],
        },
        Script {
            language: "ar",
            greeting: tr(
                "شكراً لانضمامك اليوم. أود أن أعرف كيف تتسوق مع Larder، وخاصة صفحة الدفع الجديدة. لا توجد إجابات صحيحة أو خاطئة.",
                "Thank you for joining today. I'd like to know how you shop with Larder, especially the new checkout page. There are no right or wrong answers.",
            ),
            probe: tr(
                "هل يمكنك أن تخبرني المزيد عن ذلك؟",
                "Can you tell me more about that?",
            ),
            closing: tr(
                "هذا كل ما أردت أن أسأله. شكراً جزيلاً، كان هذا مفيداً جداً.",
                "That is all I wanted to ask. Thank you very much, this was very helpful.",
            ),
            questions: vec![
                Question {
                    asked: tr(
                        "لنبدأ بصفحة الدفع الجديدة. ما كان انطباعك الأول عندما استخدمتها؟",
                        "Let's start with the new checkout page. What was your first impression when you used it?",
                    ),
                    answers: vec![
                        rich(
                            tr(
                                "أصبحت أسرع بكثير لأن كل شيء في صفحة واحدة. لكنني لم أرَ المبلغ الإجمالي مع رسوم التوصيل إلا في الخطوة الأخيرة.",
                                "It became much faster because everything is on one page. But I didn't see the total amount with the delivery fees until the last step.",
                            ),
                            tr(
                                "كنت أريد أن أتأكد من أن كود الخصم قد طُبّق قبل إدخال بيانات البطاقة.",
                                "I wanted to make sure the discount code had been applied before entering the card details.",
                            ),
                            "Finds the one-page checkout much faster; total with delivery fees only visible at the last step",
                        ),
                        thin(tr("جيدة.", "Good."), None),
                    ],
                },
                Question {
                    asked: tr(
                        "حدثني عن آخر مرة حدثت فيها مشكلة أثناء الدفع.",
                        "Tell me about the last time a problem happened while paying.",
                    ),
                    answers: vec![
                        rich(
                            tr(
                                "رُفضت بطاقتي مرتين الأسبوع الماضي دون أي سبب. دفعت في النهاية عند الاستلام، لكنني ما زلت لا أعرف ما المشكلة.",
                                "My card was rejected twice last week without any reason. In the end I paid on delivery, but I still don't know what the problem is.",
                            ),
                            tr(
                                "لو ظهرت رسالة توضح ما يجب فعله لكان ذلك أفضل بكثير.",
                                "If a message had appeared explaining what to do, it would have been much better.",
                            ),
                            "Card rejected twice without reason; paid on delivery; wants an explanatory message",
                        ),
                        thin(
                            tr("لا شيء.", "Nothing."),
                            Some("Reports no payment problems"),
                        ),
                    ],
                },
                Question {
                    asked: tr(
                        "كيف تختار عادةً موعد التوصيل؟",
                        "How do you usually choose the delivery time?",
                    ),
                    answers: vec![
                        rich(
                            tr(
                                "أختار موعداً بعد صلاة العشاء لأن الشوارع تكون أهدأ والتوصيل أسرع. في رمضان أحجز قبل أسبوع لأن المواعيد تمتلئ بسرعة.",
                                "I choose a time after the evening prayer because the streets are calmer and delivery is faster. In Ramadan I book a week ahead because the slots fill up quickly.",
                            ),
                            tr(
                                "أتمنى لو أستطيع حفظ موعد ثابت كل أسبوع.",
                                "I wish I could save a fixed slot every week.",
                            ),
                            "Picks late-evening slots; books a week ahead in Ramadan; wants a recurring weekly slot",
                        ),
                        thin(tr("أي موعد متاح.", "Any available time."), None),
                    ],
                },
                Question {
                    asked: tr(
                        "ما الذي يجعلك توصي بـ Larder لصديق؟",
                        "What would make you recommend Larder to a friend?",
                    ),
                    answers: vec![
                        rich(
                            tr(
                                "لو كانت رسوم التوصيل واضحة من البداية. جودة الخضار ممتازة، لكن الرسوم تتغير حسب الموعد وهذا مزعج.",
                                "If the delivery fees were clear from the start. The quality of the vegetables is excellent, but the fees change depending on the time and that is annoying.",
                            ),
                            tr(
                                "اعرضوا الرسوم بجانب كل موعد قبل أن أبدأ التسوق.",
                                "Show the fees next to each time slot before I start shopping.",
                            ),
                            "Would recommend with delivery fees clear from the start, shown next to each slot",
                        ),
                        thin(tr("لا أعرف.", "I don't know."), None),
                    ],
                },
            ],
        },
        Script {
            language: "pt",
            greeting: tr(
                "Obrigado por participar hoje. Quero entender como você faz compras no Larder, principalmente com o novo checkout. Não existem respostas certas ou erradas.",
                "Thank you for taking part today. I want to understand how you shop on Larder, mainly with the new checkout. There are no right or wrong answers.",
            ),
            probe: tr(
                "Pode me contar um pouco mais sobre isso?",
                "Can you tell me a bit more about that?",
            ),
            closing: tr(
                "Era isso que eu queria perguntar. Muito obrigado, ajudou bastante.",
                "That was what I wanted to ask. Thank you very much, it helped a lot.",
            ),
            questions: vec![
                Question {
                    asked: tr(
                        "Vamos começar pelo novo checkout. Qual foi sua primeira impressão ao usá-lo?",
                        "Let's start with the new checkout. What was your first impression when using it?",
                    ),
                    answers: vec![
                        rich(
                            tr(
                                "Achei mais limpo, mas a opção de substituição mudou de lugar e eu só percebi quando chegou leite de aveia no lugar do leite integral.",
                                "I found it cleaner, but the substitution option moved and I only noticed when oat milk arrived instead of whole milk.",
                            ),
                            tr(
                                "Antes perguntava item por item. Agora é uma chave só lá em cima, e ela vem ligada.",
                                "Before it asked item by item. Now it's a single switch up at the top, and it comes switched on.",
                            ),
                            "Finds it cleaner; the moved substitution switch was on by default and brought an unwanted substitute",
                        ),
                        thin(tr("Tranquilo.", "Fine."), None),
                    ],
                },
                Question {
                    asked: tr(
                        "Me conte sobre a última vez que algo deu errado na hora de pagar.",
                        "Tell me about the last time something went wrong when paying.",
                    ),
                    answers: vec![
                        rich(
                            tr(
                                "O Pix gerou o código, mas a tela não atualizou depois que eu paguei. Fiquei esperando e acabei pagando de novo.",
                                "Pix generated the code, but the screen didn't update after I paid. I kept waiting and ended up paying again.",
                            ),
                            tr(
                                "O reembolso levou cinco dias. Se a tela mostrasse que o pagamento estava sendo confirmado, eu não teria pago duas vezes.",
                                "The refund took five days. If the screen had shown that the payment was being confirmed, I wouldn't have paid twice.",
                            ),
                            "Pix screen did not update after payment; paid twice; the refund took five days",
                        ),
                        thin(
                            tr("Nunca tive problema.", "I never had a problem."),
                            Some("Reports no payment problems"),
                        ),
                    ],
                },
                Question {
                    asked: tr(
                        "Como você costuma escolher o horário de entrega?",
                        "How do you usually choose the delivery time?",
                    ),
                    answers: vec![
                        rich(
                            tr(
                                "Escolho sempre o horário mais cedo de sábado, porque durante a semana não tem ninguém em casa. Quando esgota, compro no mercado do bairro mesmo.",
                                "I always choose the earliest Saturday slot, because during the week there's nobody home. When it sells out, I just buy at the neighbourhood market.",
                            ),
                            tr(
                                "Uma lista de espera para o horário já cheio seria ótima.",
                                "A waiting list for a slot that's already full would be great.",
                            ),
                            "Always picks early Saturday; goes to a local market when it is full; wants a waiting list",
                        ),
                        thin(tr("O que tiver.", "Whatever there is."), None),
                    ],
                },
                Question {
                    asked: tr(
                        "O que faria você recomendar o Larder para um amigo?",
                        "What would make you recommend Larder to a friend?",
                    ),
                    answers: vec![
                        rich(
                            tr(
                                "Se o frete fosse mais claro. A qualidade é ótima, mas o valor muda conforme o horário e isso pega a gente de surpresa.",
                                "If the shipping fee were clearer. The quality is great, but the amount changes with the time slot and that catches us by surprise.",
                            ),
                            tr(
                                "Mostrem o frete em cada horário antes de eu montar a cesta.",
                                "Show the shipping fee on each slot before I build my basket.",
                            ),
                            "Would recommend with clearer delivery fees shown per slot before shopping",
                        ),
                        thin(tr("Não sei dizer.", "I can't say."), None),
                    ],
                },
            ],
        },
        Script {
            language: "fr",
            greeting: tr(
                "Merci d'être avec nous aujourd'hui. J'aimerais comprendre comment vous faites vos courses avec Larder, surtout avec le nouveau paiement. Il n'y a pas de bonne ou de mauvaise réponse.",
                "Thank you for being with us today. I'd like to understand how you do your shopping with Larder, especially with the new checkout. There is no right or wrong answer.",
            ),
            probe: tr(
                "Pouvez-vous m'en dire un peu plus ?",
                "Can you tell me a bit more?",
            ),
            closing: tr(
                "C'est tout ce que je voulais vous demander. Merci beaucoup, c'était très utile.",
                "That's everything I wanted to ask you. Thank you very much, it was very useful.",
            ),
            questions: vec![
                Question {
                    asked: tr(
                        "Commençons par le nouveau paiement. Quelle a été votre première impression ?",
                        "Let's start with the new checkout. What was your first impression?",
                    ),
                    answers: vec![
                        rich(
                            tr(
                                "C'est plus rapide, tout tient sur une page. Par contre, je n'ai vu le total avec les frais de livraison qu'à la toute fin, et ça m'a un peu refroidi.",
                                "It's faster, everything fits on one page. On the other hand, I only saw the total with the delivery fees at the very end, and that put me off a bit.",
                            ),
                            tr(
                                "J'avais un code promo et je voulais vérifier qu'il était bien pris en compte avant de saisir ma carte.",
                                "I had a promo code and I wanted to check it had been taken into account before entering my card.",
                            ),
                            "Finds the one-page checkout faster; put off by seeing the total with fees only at the end",
                        ),
                        thin(tr("Correct.", "Fine."), None),
                    ],
                },
                Question {
                    asked: tr(
                        "Racontez-moi la dernière fois que quelque chose s'est mal passé au moment de payer.",
                        "Tell me about the last time something went wrong at the moment of paying.",
                    ),
                    answers: vec![
                        rich(
                            tr(
                                "La validation de ma banque a expiré pendant que je cherchais mon téléphone, et le panier s'est vidé. J'ai dû tout refaire.",
                                "My bank's verification expired while I was looking for my phone, and the basket emptied. I had to redo everything.",
                            ),
                            tr(
                                "Trois minutes, c'est court quand le téléphone est dans une autre pièce. Au moins, gardez le panier.",
                                "Three minutes is short when the phone is in another room. At least keep the basket.",
                            ),
                            "Bank verification timed out and the basket was emptied; wants the basket kept",
                        ),
                        thin(
                            tr("Rien de spécial.", "Nothing special."),
                            Some("Reports no payment problems"),
                        ),
                    ],
                },
                Question {
                    asked: tr(
                        "Comment choisissez-vous d'habitude votre créneau de livraison ?",
                        "How do you usually choose your delivery slot?",
                    ),
                    answers: vec![
                        rich(
                            tr(
                                "Je prends le créneau du jeudi soir, juste après le marché, pour compléter ce que je n'ai pas trouvé. Si les frais dépassent trois euros, je change de jour.",
                                "I take the Thursday evening slot, right after the market, to add what I didn't find. If the fees go over three euros, I change the day.",
                            ),
                            tr(
                                "Ce serait pratique de voir les créneaux les moins chers en premier.",
                                "It would be handy to see the cheapest slots first.",
                            ),
                            "Uses Thursday evening after the market; changes day if fees exceed three euros; wants the cheapest slots first",
                        ),
                        thin(tr("Au hasard.", "At random."), None),
                    ],
                },
                Question {
                    asked: tr(
                        "Qu'est-ce qui vous donnerait envie de recommander Larder à un ami ?",
                        "What would make you want to recommend Larder to a friend?",
                    ),
                    answers: vec![
                        rich(
                            tr(
                                "Des frais plus lisibles. Les produits sont bons, mais on découvre le prix réel trop tard.",
                                "More readable fees. The products are good, but you discover the real price too late.",
                            ),
                            tr(
                                "Affichez les frais sur chaque créneau, dès le départ.",
                                "Show the fees on every slot, right from the start.",
                            ),
                            "Would recommend with readable fees shown on each slot from the start",
                        ),
                        thin(tr("Je ne sais pas.", "I don't know."), None),
                    ],
                },
            ],
        },
    ]
}

pub const COURIER_QUESTIONS: [&str; 3] = [
    "How did your first week of deliveries go?",
    "What in the app confused you during your first shifts?",
    "What would you change about the training?",
];

pub fn courier_scripts() -> Vec<Script> {
    vec![
        Script {
            language: "en",
            greeting: en(
                "Thanks for making time between shifts. I'd like to hear how your first weeks as a Larder courier went.",
            ),
            probe: en("What happened next?"),
            closing: en("That's all from me. Thanks, and safe riding."),
            questions: vec![
                Question {
                    asked: en("How did your first week of deliveries go?"),
                    answers: vec![
                        rich(
                            en(
                                "Busier than I expected. The app sent me three orders in a row across town on my second day, and the frozen bags were soft by the last drop.",
                            ),
                            en(
                                "I didn't know I could decline a batch. Nobody told me that in training.",
                            ),
                            "Overloaded with cross-town batches early; did not know batches could be declined",
                        ),
                        thin(en("Fine."), None),
                    ],
                },
                Question {
                    asked: en("What in the app confused you during your first shifts?"),
                    answers: vec![
                        rich(
                            en(
                                "The map pin and the written address disagreed twice. I followed the pin and ended up at the back of a building with no entrance.",
                            ),
                            en(
                                "Now I always read the address notes first, but there's no way to report a wrong pin.",
                            ),
                            "Map pins disagreed with addresses; no way to report a wrong pin",
                        ),
                        thin(en("Nothing really."), None),
                    ],
                },
                Question {
                    asked: en("What would you change about the training?"),
                    answers: vec![
                        rich(
                            en(
                                "Make it shorter and practical. Half of it was videos about the company, and none of it was about handling cold bags or what to do when nobody answers the door.",
                            ),
                            en("A checklist on the phone for the first shift would be enough."),
                            "Wants shorter, practical training and a first-shift checklist",
                        ),
                        thin(en("It was okay."), None),
                    ],
                },
            ],
        },
        Script {
            language: "de",
            greeting: tr(
                "Danke, dass Sie sich zwischen den Schichten Zeit nehmen. Ich möchte hören, wie Ihre ersten Wochen als Kurier bei Larder waren.",
                "Thank you for taking time between shifts. I'd like to hear how your first weeks as a courier at Larder were.",
            ),
            probe: tr("Wie ging es dann weiter?", "What happened then?"),
            closing: tr(
                "Das war's von meiner Seite. Danke und gute Fahrt.",
                "That's it from my side. Thanks and have a good ride.",
            ),
            questions: vec![
                Question {
                    asked: tr(
                        "Wie lief Ihre erste Woche mit Lieferungen?",
                        "How did your first week with deliveries go?",
                    ),
                    answers: vec![
                        rich(
                            tr(
                                "Stressiger als gedacht. Am zweiten Tag bekam ich drei Aufträge quer durch die Stadt, und die Tiefkühlware war beim letzten Stopp schon weich.",
                                "More stressful than expected. On the second day I got three orders right across town, and the frozen goods were already soft at the last stop.",
                            ),
                            tr(
                                "Ich wusste nicht, dass man einen Auftragsstapel ablehnen darf.",
                                "I didn't know that you're allowed to decline a batch of orders.",
                            ),
                            "Overloaded with cross-town batches; frozen goods thawed; did not know batches could be declined",
                        ),
                        thin(tr("Ging so.", "So-so."), None),
                    ],
                },
                Question {
                    asked: tr(
                        "Was in der App hat Sie in den ersten Schichten verwirrt?",
                        "What in the app confused you in the first shifts?",
                    ),
                    answers: vec![
                        rich(
                            tr(
                                "Die Stecknadel auf der Karte und die Adresse passten zweimal nicht zusammen. Ich bin der Nadel gefolgt und stand hinter einem Gebäude ohne Eingang.",
                                "The pin on the map and the address didn't match twice. I followed the pin and stood behind a building with no entrance.",
                            ),
                            tr(
                                "Es gibt keine Möglichkeit, eine falsche Nadel zu melden.",
                                "There's no way to report a wrong pin.",
                            ),
                            "Map pins disagreed with addresses; wants a way to report wrong pins",
                        ),
                        thin(tr("Nichts Besonderes.", "Nothing special."), None),
                    ],
                },
                Question {
                    asked: tr(
                        "Was würden Sie an der Schulung ändern?",
                        "What would you change about the training?",
                    ),
                    answers: vec![
                        rich(
                            tr(
                                "Kürzer und praktischer. Viele Videos über die Firma, aber nichts dazu, was man tut, wenn niemand die Tür öffnet.",
                                "Shorter and more practical. Lots of videos about the company, but nothing about what to do when nobody opens the door.",
                            ),
                            tr(
                                "Eine Checkliste im Handy für die erste Schicht würde reichen.",
                                "A checklist on the phone for the first shift would be enough.",
                            ),
                            "Wants shorter, practical training and a first-shift checklist",
                        ),
                        thin(tr("Passt schon.", "It's fine."), None),
                    ],
                },
            ],
        },
    ]
}

pub const PRICING_QUESTIONS: [&str; 2] = [
    "Looking at this page, what do you think Larder Plus includes?",
    "Would you pay £6.99 a month for it? Why or why not?",
];

pub fn pricing_scripts() -> Vec<Script> {
    vec![Script {
        language: "en",
        greeting: en(
            "Thanks for joining. I'll show you a new pricing page for Larder Plus and ask what you make of it.",
        ),
        probe: en("What makes you say that?"),
        closing: en("Thanks, that's everything."),
        questions: vec![
            Question {
                asked: en("Looking at this page, what do you think Larder Plus includes?"),
                answers: vec![
                    rich(
                        en(
                            "Free delivery on orders over thirty pounds, I think, and early access to slots. But I'm not sure if the free delivery covers the evening slots too — the small print says 'standard slots' and I don't know what that means.",
                        ),
                        en(
                            "If evenings aren't included it's useless to me, I only ever get deliveries after work.",
                        ),
                        "Understood free delivery and early access; unclear whether 'standard slots' includes evenings",
                    ),
                    plain(
                        en("Free delivery and some discounts."),
                        "Free delivery and discounts",
                    ),
                    thin(en("Free delivery?"), None),
                ],
            },
            Question {
                asked: en("Would you pay £6.99 a month for it? Why or why not?"),
                answers: vec![
                    rich(
                        en(
                            "Probably, if I order at least twice a month, because delivery is about four pounds each time. I'd want to cancel easily though — the last subscription I had made me phone them.",
                        ),
                        en(
                            "A cancel button right on the account page would make me sign up today.",
                        ),
                        "Would pay if ordering twice a month; easy cancellation is the deciding factor",
                    ),
                    plain(
                        en("No, I don't order often enough."),
                        "Does not order often enough to pay",
                    ),
                    thin(en("Maybe."), None),
                ],
            },
        ],
    }]
}

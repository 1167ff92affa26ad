//! A stand-in for the async-trait crate for sendfix's golden tests.
//!
//! `#[async_trait]` on a trait or an impl turns each `async fn` into a fn
//! returning `Pin<Box<dyn Future<Output = T> + Send + 'async_trait>>`
//! whose body is `Box::pin(async move { .. })`, as async-trait does;
//! `#[async_trait(?Send)]` leaves out the `Send`. Unlike async-trait it
//! gives the `'async_trait` lifetime to the `self` receiver only: the
//! other parameters must be owned.

use proc_macro::TokenStream;
use quote::quote;
use syn::{parse_macro_input, parse_quote, Block, FnArg, ImplItem, Item, ReturnType, Signature, TraitItem};

#[proc_macro_attribute]
pub fn async_trait(args: TokenStream, input: TokenStream) -> TokenStream {
    let send = !args.to_string().contains("Send");
    let mut item = parse_macro_input!(input as Item);
    match &mut item {
        Item::Impl(imp) => {
            for it in &mut imp.items {
                if let ImplItem::Method(m) = it {
                    if m.sig.asyncness.is_some() {
                        boxed(&mut m.sig, Some(&mut m.block), send);
                    }
                }
            }
        }
        Item::Trait(tr) => {
            for it in &mut tr.items {
                if let TraitItem::Method(m) = it {
                    if m.sig.asyncness.is_some() {
                        boxed(&mut m.sig, m.default.as_mut(), send);
                    }
                }
            }
        }
        _ => {}
    }
    quote!(#item).into()
}

/// boxed rewrites one async fn: its signature, and its body if it has one.
fn boxed(sig: &mut Signature, body: Option<&mut Block>, send: bool) {
    sig.asyncness = None;
    let ret = match &sig.output {
        ReturnType::Default => quote!(()),
        ReturnType::Type(_, t) => quote!(#t),
    };
    let bound = if send { quote!(+ ::core::marker::Send) } else { quote!() };
    sig.generics.params.insert(0, parse_quote!('async_trait));
    let mut by_ref = false;
    for input in &mut sig.inputs {
        if let FnArg::Receiver(r) = input {
            if let Some((_, lt)) = &mut r.reference {
                by_ref = true;
                if lt.is_none() {
                    *lt = Some(parse_quote!('async_trait));
                }
            }
        }
    }
    if send && by_ref {
        sig.generics.make_where_clause().predicates.push(parse_quote!(Self: ::core::marker::Sync));
    }
    sig.output = parse_quote!(-> ::core::pin::Pin<Box<dyn ::core::future::Future<Output = #ret> #bound + 'async_trait>>);
    if let Some(b) = body {
        let stmts = &b.stmts;
        *b = parse_quote!({ Box::pin(async move { #(#stmts)* }) });
    }
}

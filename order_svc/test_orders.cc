#include "order_svc/test_orders.h"

namespace oms::order {

v1::CreateOrderRequest SampleCreateOrder(const std::string& external_reference) {
  v1::CreateOrderRequest request;
  request.set_idempotency_key("key-" + external_reference);
  request.set_channel(v1::WEB);
  request.set_external_reference(external_reference);
  v1::Customer* customer = request.mutable_customer();
  customer->set_name("张伟");
  customer->set_phone("+86 138-0013-8000");
  customer->set_email("zhang.wei@example.cn");
  v1::Address* address = customer->mutable_shipping_address();
  address->set_country_code("CN");
  address->set_region("上海市");
  address->set_city("上海");
  address->set_postal_code("200120");
  address->set_street("浦东新区世纪大道100号");
  request.set_currency_code("CNY");
  v1::OrderLine* tea = request.add_lines();
  tea->set_sku("TEA-LONGJING-250G");
  tea->set_product_name("龙井茶 250g");
  tea->set_quantity(2);
  tea->mutable_unit_price()->set_currency_code("CNY");
  tea->mutable_unit_price()->set_minor_units(12800);
  v1::OrderLine* cup = request.add_lines();
  cup->set_sku("CUP-CELADON");
  cup->set_quantity(1);
  cup->mutable_unit_price()->set_currency_code("CNY");
  cup->mutable_unit_price()->set_minor_units(4550);
  request.mutable_discount()->set_currency_code("CNY");
  request.mutable_discount()->set_minor_units(1000);
  request.mutable_shipping_fee()->set_currency_code("CNY");
  request.mutable_shipping_fee()->set_minor_units(800);
  request.set_tax_rate_bp(1300);
  request.set_payment_method(v1::COD);
  request.set_actor("web-checkout");
  return request;
}

v1::Address AddressIn(const std::string& region, const std::string& street) {
  v1::Address address;
  address.set_country_code("CN");
  address.set_region(region);
  address.set_city(region == "North" ? "北京" : "上海");
  address.set_postal_code(region == "North" ? "100000" : "200120");
  address.set_street(street);
  return address;
}

}  // namespace oms::order
